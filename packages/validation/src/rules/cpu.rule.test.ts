import { describe, expect, it } from 'vitest';
import { gatesOn } from '../testing/fixtures.js';
import { validateVmiSpec } from '../vmi-spec.validator.js';
import { MAX_VCPUS } from '@qvirt/api';
import { validateCpu } from './cpu.rule.js';

describe('validateCpu', () => {
  it('bounds the vCPU count (cores x sockets x threads)', () => {
    expect(validateCpu('spec', { domain: { cpu: { cores: 4, sockets: 2, threads: 36 } } }, gatesOn())).toEqual([]);
    expect(validateCpu('spec', { domain: { cpu: { cores: 100, sockets: 3 } } }, gatesOn())).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.domain.cpu',
        message: `spec.domain.cpu: Invalid value: 300 vCPUs (cores 100 x sockets 3 x threads 1): must be at most ${MAX_VCPUS}`,
      },
    ]);
  });

  it('through validateVmiSpec: non-positive and non-integer counts are shape causes', () => {
    const causes = validateVmiSpec('spec', { domain: { memory: { guest: '1Gi' }, devices: {}, cpu: { cores: 0, sockets: 1.5, threads: '2' } } }, gatesOn());
    expect(causes).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.domain.cpu.cores', message: 'spec.domain.cpu.cores: Invalid value: 0: must be greater than or equal to 1' },
      { type: 'FieldValueInvalid', field: 'spec.domain.cpu.sockets', message: 'spec.domain.cpu.sockets: Invalid value: 1.5: must be of type integer' },
      { type: 'FieldValueInvalid', field: 'spec.domain.cpu.threads', message: 'spec.domain.cpu.threads: Invalid value: "2": must be of type integer' },
    ]);
  });
});
