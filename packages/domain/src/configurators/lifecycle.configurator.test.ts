import { describe, expect, it } from 'vitest';
import { plainVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { lifecycleConfigurator } from './lifecycle.configurator.js';

const ctx = { assignments: [], facts: { kvm: false } };

describe('lifecycleConfigurator', () => {
  it('destroys on poweroff and crash, restarts on reboot', () => {
    const d = emptyDomain();
    d.onPoweroff = 'preserve';
    d.onCrash = 'preserve';
    lifecycleConfigurator.configure(plainVmi(), d, ctx);
    expect([d.onPoweroff, d.onReboot, d.onCrash]).toEqual(['destroy', 'restart', 'destroy']);
  });
});
