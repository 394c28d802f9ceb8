import type { ClusterConfig, PermittedHostDevices } from '@qvirt/api';
import { describe, expect, it } from 'vitest';
import { gatesOn } from '../testing/fixtures.js';
import { validateVmiSpec } from '../vmi-spec.validator.js';

describe('permittedHostDevices in validation', () => {
  it('denies instead of throwing on a malformed list from a ConfigMap', () => {
    const broken = {
      ...gatesOn(),
      permittedHostDevices: { pciHostDevices: 5, mediatedDevices: [null, 'x'] } as unknown as PermittedHostDevices,
    } as ClusterConfig;
    const spec = { domain: { memory: { guest: '1Gi' }, devices: { qats: [{ name: 'q', deviceName: 'qat.intel.com/generic' }] } } };
    expect(validateVmiSpec('spec', spec, broken)).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.domain.devices.qats[0].deviceName',
        message: 'QAT qat.intel.com/generic is not permitted in permittedHostDevices configuration',
      },
    ]);
  });
});
