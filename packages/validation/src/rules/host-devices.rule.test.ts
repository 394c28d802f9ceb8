import { describe, expect, it } from 'vitest';
import { gatesOff, gatesOn, withPermitted } from '../testing/fixtures.js';
import { HOST_DEVICES_GATE_DISABLED_MESSAGE, validateHostDevices } from './host-devices.rule.js';

const spec = (hostDevices: { name?: string; deviceName?: string }[]) => ({ domain: { devices: { hostDevices } } });
const gpu = { name: 'gpu1', deviceName: 'nvidia.com/TU104GL_Tesla_T4' };

describe('validateHostDevices', () => {
  it("denies host devices while the HostDevices gate is off (KubeVirt's message)", () => {
    expect(validateHostDevices('spec', spec([gpu]), gatesOff())).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.domain.devices.hostDevices', message: 'Host Devices feature gate is not enabled in kubevirt-config' },
    ]);
    expect(validateHostDevices('spec.template.spec', spec([gpu]), gatesOff())[0]?.field).toBe('spec.template.spec.domain.devices.hostDevices');
    expect(HOST_DEVICES_GATE_DISABLED_MESSAGE).toBe('Host Devices feature gate is not enabled in kubevirt-config');
  });

  it('permits any well-formed resource when no permittedHostDevices list is set', () => {
    expect(validateHostDevices('spec', spec([gpu]), gatesOn())).toEqual([]);
  });

  it("with permittedHostDevices set, denies what it does not list (KubeVirt's wording)", () => {
    const config = withPermitted({ pciHostDevices: [{ pciVendorSelector: '10de:1eb8', resourceName: 'nvidia.com/TU104GL_Tesla_T4' }] });
    expect(validateHostDevices('spec', spec([gpu]), config)).toEqual([]);
    expect(validateHostDevices('spec', spec([{ name: 'x', deviceName: 'vendor.com/other' }]), config)).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'spec.domain.devices.hostDevices[0].deviceName',
        message: 'HostDevice vendor.com/other is not permitted in permittedHostDevices configuration',
      },
    ]);
  });

  it('accepts mediated device resources from the list too', () => {
    const config = withPermitted({ mediatedDevices: [{ mdevNameSelector: 'GRID T4-1Q', resourceName: 'nvidia.com/GRID_T4-1Q' }] });
    expect(validateHostDevices('spec', spec([{ name: 'v', deviceName: 'nvidia.com/GRID_T4-1Q' }]), config)).toEqual([]);
  });

  it('checks names and duplicates like the QAT list', () => {
    expect(validateHostDevices('spec', spec([gpu, { ...gpu }]), gatesOn())).toEqual([
      {
        type: 'FieldValueDuplicate',
        field: 'spec.domain.devices.hostDevices[1].name',
        message: 'spec.domain.devices.hostDevices[1] and spec.domain.devices.hostDevices[0] must not have the same name "gpu1"',
      },
    ]);
  });
});

describe('host device names', () => {
  const named = (name: string) => spec([{ name, deviceName: 'nvidia.com/TU104GL_Tesla_T4' }]);
  const field = 'spec.domain.devices.hostDevices[0].name';

  it.each(['gpu1', 'GPU1', 'hostdev_name0', 'Tesla-T4_0', '_', '-', 'a'.repeat(64)])(
    'admits %j, which KubeVirt admits and which keeps the alias ua-hostdevice-<name> valid',
    (name) => {
      expect(validateHostDevices('spec', named(name), gatesOn())).toEqual([]);
    },
  );

  it.each<[string, string]>([
    ['gpu.1', 'must consist of alphanumeric characters'],
    ['gpu 1', 'must consist of alphanumeric characters'],
    ['gpu/1', 'must consist of alphanumeric characters'],
    ['gpü', 'must consist of alphanumeric characters'],
    ['', 'must not be empty'],
  ])('refuses %j, saying why', (name, why) => {
    const causes = validateHostDevices('spec', named(name), gatesOn());
    expect(causes).toEqual([
      { type: 'FieldValueInvalid', field, message: expect.stringContaining(`${field}: Invalid value: ${JSON.stringify(name)}: ${why}`) },
    ]);
    expect(causes[0]?.message).toContain('libvirt alias ua-hostdevice-<name>');
  });
});
