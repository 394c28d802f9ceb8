import { describe, expect, it } from 'vitest';
import { plainVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { clockConfigurator } from './clock.configurator.js';

const ctx = { assignments: [], facts: { kvm: false } };

describe('clockConfigurator', () => {
  it('keeps the guest clock in UTC', () => {
    const d = emptyDomain();
    d.clock = { offset: 'localtime' as 'utc' };
    clockConfigurator.configure(plainVmi(), d, ctx);
    expect(d.clock).toEqual({ offset: 'utc' });
  });
});
