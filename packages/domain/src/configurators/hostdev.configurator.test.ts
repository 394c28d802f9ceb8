import { describe, expect, it } from 'vitest';
import { qatVmi } from '../testing/fixtures.js';
import type { DeviceAssignment } from '../device-assignment.js';
import { emptyDomain } from '../domain-model.js';
import { hostdevConfigurator } from './hostdev.configurator.js';

const facts = { kvm: false };

describe('hostdevConfigurator', () => {
  it('renders each QAT and host device at its assigned host address with its user alias', () => {
    const vmi = qatVmi(1);
    vmi.spec.domain.devices.hostDevices = [{ name: 'nic', deviceName: 'example.com/nic' }];
    const assignments: DeviceAssignment[] = [
      { kind: 'qat', name: 'qat1', deviceName: 'qat.intel.com/generic', address: '0000:3d:01.1' },
      { kind: 'hostDevice', name: 'nic', deviceName: 'example.com/nic', address: '0001:af:1f.7' },
    ];
    const d = emptyDomain();
    hostdevConfigurator.configure(vmi, d, { assignments, facts });
    expect(d.devices.hostdevs).toEqual([
      { source: { domain: 0, bus: 0x3d, slot: 1, function: 1 }, alias: 'ua-qat-qat1' },
      { source: { domain: 1, bus: 0xaf, slot: 0x1f, function: 7 }, alias: 'ua-hostdevice-nic' },
    ]);
  });

  it('requires an assignment per device and unique DNS-label names', () => {
    expect(() => hostdevConfigurator.configure(qatVmi(1), emptyDomain(), { assignments: [], facts })).toThrow(
      'spec.domain.devices.qats[0]: no PCI address assigned to "qat1" (resource qat.intel.com/generic)',
    );
    const dup = qatVmi(2);
    dup.spec.domain.devices.qats![1]!.name = 'qat1';
    expect(() => hostdevConfigurator.configure(dup, emptyDomain(), { assignments: [], facts })).toThrow(
      'spec.domain.devices.qats[1].name: "qat1" is used by another entry of qats',
    );
    const bad = qatVmi(1);
    bad.spec.domain.devices.qats![0]!.name = 'Bad_Name';
    expect(() => hostdevConfigurator.configure(bad, emptyDomain(), { assignments: [], facts })).toThrow(
      'spec.domain.devices.qats[0].name: "Bad_Name" is not a DNS label',
    );
  });

  it.each(['GPU1', 'hostdev_name0'])('takes a host device name KubeVirt admits (%s) into its alias', (name) => {
    const vmi = qatVmi(0);
    vmi.spec.domain.devices.hostDevices = [{ name, deviceName: 'example.com/gpu' }];
    const d = emptyDomain();
    hostdevConfigurator.configure(vmi, d, { assignments: [{ kind: 'hostDevice', name, deviceName: 'example.com/gpu', address: '0000:01:00.0' }], facts });
    expect(d.devices.hostdevs.map((h) => h.alias)).toEqual([`ua-hostdevice-${name}`]);
  });

  it('refuses a host device name no libvirt alias can hold', () => {
    const vmi = qatVmi(0);
    vmi.spec.domain.devices.hostDevices = [{ name: 'gpu.1', deviceName: 'example.com/gpu' }];
    expect(() => hostdevConfigurator.configure(vmi, emptyDomain(), { assignments: [], facts })).toThrow(
      'spec.domain.devices.hostDevices[0].name: "gpu.1" cannot be a libvirt alias',
    );
  });
});
