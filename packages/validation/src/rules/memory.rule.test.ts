import { describe, expect, it } from 'vitest';
import { gatesOn } from '../testing/fixtures.js';
import { validateMemory } from './memory.rule.js';

const c = gatesOn();

describe('validateMemory', () => {
  it('requires memory.guest or resources.requests.memory', () => {
    expect(validateMemory('spec', { domain: { devices: {} } }, c)).toEqual([
      {
        type: 'FieldValueRequired',
        field: 'spec.domain.resources.requests.memory',
        message: "no memory requested, at least one of 'spec.domain.memory.guest' or 'spec.domain.resources.requests.memory' must be set",
      },
    ]);
    expect(validateMemory('spec.template.spec', { domain: {} }, c)[0]?.field).toBe('spec.template.spec.domain.resources.requests.memory');
    expect(validateMemory('spec', { domain: { memory: { guest: '64Mi' } } }, c)).toEqual([]);
    expect(validateMemory('spec', { domain: { resources: { requests: { memory: '64Mi' } } } }, c)).toEqual([]);
  });

  it('wants positive amounts', () => {
    expect(validateMemory('spec', { domain: { memory: { guest: '0' }, resources: { requests: { memory: '-1Gi' } } } }, c)).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.domain.memory.guest', message: "spec.domain.memory.guest '0': must be greater than 0" },
      {
        type: 'FieldValueInvalid',
        field: 'spec.domain.resources.requests.memory',
        message: "spec.domain.resources.requests.memory '-1Gi': must be greater than 0",
      },
    ]);
  });

  it("keeps guest and requests within limits.memory (KubeVirt's message)", () => {
    const spec = { domain: { memory: { guest: '2Gi' }, resources: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } } } };
    expect(validateMemory('spec', spec, c)).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.domain.memory.guest',
        message: "spec.domain.memory.guest '2Gi' must be equal to or less than the memory limit spec.domain.resources.limits.memory '1Gi'",
      },
      {
        type: 'FieldValueInvalid',
        field: 'spec.domain.resources.requests.memory',
        message: "spec.domain.resources.requests.memory '2Gi' must be equal to or less than the memory limit spec.domain.resources.limits.memory '1Gi'",
      },
    ]);
    expect(validateMemory('spec', { domain: { memory: { guest: '1024Mi' }, resources: { limits: { memory: '1Gi' } } } }, c)).toEqual([]);
  });

  it('leaves unparsable quantities to the shape check', () => {
    expect(validateMemory('spec', { domain: { memory: { guest: 'lots' } } }, c)).toEqual([]);
  });
});
