import { describe, expect, it } from 'vitest';
import { gatesOn } from '../testing/fixtures.js';
import { validateDeviceNameCollisions } from './device-name-collision.rule.js';

describe('validateDeviceNameCollisions', () => {
  it('denies a host device named like a QAT, on the host device entry', () => {
    const spec = {
      domain: {
        devices: {
          qats: [
            { name: 'a', deviceName: 'qat.intel.com/generic' },
            { name: 'dev', deviceName: 'qat.intel.com/generic' },
          ],
          hostDevices: [
            { name: 'gpu', deviceName: 'nvidia.com/T4' },
            { name: 'dev', deviceName: 'nvidia.com/T4' },
          ],
        },
      },
    };
    expect(validateDeviceNameCollisions('spec', spec, gatesOn())).toEqual([
      {
        type: 'FieldValueDuplicate',
        field: 'spec.domain.devices.hostDevices[1].name',
        message:
          'spec.domain.devices.hostDevices[1] and spec.domain.devices.qats[1] must not have the same name "dev": device status entries are keyed by name',
      },
    ]);
  });

  it('is quiet when names differ or a list is missing', () => {
    expect(validateDeviceNameCollisions('spec', { domain: { devices: { qats: [{ name: 'a' }], hostDevices: [{ name: 'b' }] } } }, gatesOn())).toEqual([]);
    expect(validateDeviceNameCollisions('spec', { domain: { devices: { qats: [{ name: 'a' }] } } }, gatesOn())).toEqual([]);
  });
});
