import { describe, expect, it } from 'vitest';
import { plainVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { featuresConfigurator } from './features.configurator.js';

const ctx = { assignments: [], facts: { kvm: false } };

describe('featuresConfigurator', () => {
  it('enables ACPI unless disabled', () => {
    const on = emptyDomain();
    featuresConfigurator.configure(plainVmi(), on, ctx);
    expect(on.features.acpi).toBe(true);
    const off = emptyDomain();
    off.features.acpi = true;
    featuresConfigurator.configure(plainVmi({ features: { acpi: { enabled: false } } }), off, ctx);
    expect(off.features.acpi).toBe(false);
  });
});
