import { describe, expect, it } from 'vitest';
import { plainVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { DomainRenderError } from '../errors.js';
import { memoryConfigurator } from './memory.configurator.js';

const ctx = { assignments: [], facts: { kvm: false } };
const kib = (domain: Parameters<typeof plainVmi>[0]) => {
  const d = emptyDomain();
  memoryConfigurator.configure(plainVmi(domain), d, ctx);
  return d.memoryKiB;
};

describe('memoryConfigurator', () => {
  it('takes memory.guest, else requests.memory, else limits.memory, in KiB', () => {
    expect(kib({ memory: { guest: '1Gi' } })).toBe(1024 * 1024);
    expect(kib({ memory: undefined, resources: { requests: { memory: '64Mi' } } })).toBe(65536);
    expect(kib({ memory: undefined, resources: { limits: { memory: '100M' } } })).toBe(97657);
  });

  it('names the field for a missing or bad quantity', () => {
    expect(() => kib({ memory: undefined, resources: {} })).toThrow(DomainRenderError);
    expect(() => kib({ memory: undefined, resources: {} })).toThrow('spec.domain.memory.guest: required');
    expect(() => kib({ memory: { guest: 'abc' } })).toThrow('spec.domain.memory.guest: "abc" is not a valid quantity');
    expect(() => kib({ memory: undefined, resources: { requests: { memory: '12XB' } } })).toThrow(
      'spec.domain.resources.requests.memory: "12XB" is not a valid quantity',
    );
    expect(() => kib({ memory: { guest: '0' } })).toThrow('spec.domain.memory.guest: "0" must be more than 0');
    expect(() => kib({ memory: { guest: '-1Gi' } })).toThrow('must be more than 0');
    expect(() => kib({ memory: { guest: '1e30' } })).toThrow('spec.domain.memory.guest: "1e30" is too large');
  });
});
