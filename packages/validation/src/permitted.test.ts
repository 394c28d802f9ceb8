import type { ClusterConfig, PermittedHostDevices } from '@qvirt/api';
import { describe, expect, it } from 'vitest';
import { resourcePermitted } from './permitted.js';
import { gatesOn, withPermitted } from './test-fixtures.js';
import { validateVmiSpec } from './vmi-spec.validator.js';

describe('resourcePermitted', () => {
  it('permits everything without a list, only listed resources with one', () => {
    expect(resourcePermitted(gatesOn(), 'any.vendor/x')).toBe(true);
    const config = withPermitted({ pciHostDevices: [{ pciVendorSelector: '8086:37c9', resourceName: 'qat.intel.com/generic' }] });
    expect(resourcePermitted(config, 'qat.intel.com/generic')).toBe(true);
    expect(resourcePermitted(config, 'qat.intel.com/cy')).toBe(false);
  });

  it('denies instead of throwing on a malformed list from a ConfigMap', () => {
    const broken = { ...gatesOn(), permittedHostDevices: { pciHostDevices: 5, mediatedDevices: [null, 'x'] } as unknown as PermittedHostDevices } as ClusterConfig;
    expect(resourcePermitted(broken, 'qat.intel.com/generic')).toBe(false);
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
