import { describe, expect, it } from 'vitest';
import { plainVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { memballoonConfigurator } from './memballoon.configurator.js';

const ctx = { assignments: [], facts: { kvm: false } };

describe('memballoonConfigurator', () => {
  it('turns the balloon off', () => {
    const d = emptyDomain();
    expect(d.devices.memballoon.model).toBe('virtio');
    memballoonConfigurator.configure(plainVmi(), d, ctx);
    expect(d.devices.memballoon).toEqual({ model: 'none' });
  });
});
