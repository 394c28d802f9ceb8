// Shared by this package's tests only (excluded from the build): the documents the domain tests render.
import type { VirtualMachineInstance } from '@qvirt/api';
import { qatDevices, vmiFixture } from '@qvirt/api/testing';

const UID = '0b8f2d9e-3c1a-4f6b-9d2e-7a5c4b3e2f10';

/** examples/vmi-plain.yaml, with a uid as in the cluster. */
export function plainVmi(overrides: Partial<VirtualMachineInstance['spec']['domain']> = {}): VirtualMachineInstance {
  return vmiFixture({ name: 'vmi-plain', metadata: { uid: UID }, domain: overrides });
}

export function qatVmi(count: number, deviceName = 'qat.intel.com/generic'): VirtualMachineInstance {
  return vmiFixture({ name: `vmi-qat${count}`, metadata: { uid: UID }, qats: qatDevices(count, { deviceName }) });
}

/** `count` distinct, valid VF addresses from bus 0x3d on: 0000:3d:00.0, 0000:3d:00.1, ... */
export function vfAddresses(count: number, bus = 0x3d): string[] {
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return Array.from({ length: count }, (_, i) => `0000:${hex(bus + Math.floor(i / 256), 2)}:${hex(Math.floor(i / 8) % 32, 2)}.${i % 8}`);
}

export interface Scenario {
  name: string;
  vmi: VirtualMachineInstance;
  allocation: Map<string, string[]>;
  facts: { kvm: boolean; consoleLogPath?: string; emulator?: string };
}

/** The documents every test renders: plain, QAT x1 and x8, host devices, disks, KVM and emulated. */
export function scenarios(): Scenario[] {
  const generic = 'qat.intel.com/generic';
  const withHostDevices = qatVmi(2);
  withHostDevices.metadata.name = 'vmi-hostdevices';
  withHostDevices.spec.domain.devices.hostDevices = [
    { name: 'nic1', deviceName: 'example.com/nic' },
    { name: 'nic2', deviceName: 'example.com/nic' },
  ];
  const withDisks = plainVmi({
    firmware: {},
    cpu: { sockets: 2, cores: 2, threads: 1 },
    devices: {
      disks: [
        { name: 'root', disk: { bus: 'virtio' }, bootOrder: 1, cache: 'none', serial: 'root-disk' },
        { name: 'data', disk: { bus: 'sata' } },
        { name: 'scratch', disk: { bus: 'scsi' } },
        { name: 'iso', cdrom: { bus: 'sata' } },
      ],
    },
  });
  withDisks.metadata.name = 'vmi-disks';
  withDisks.spec.volumes = ['root', 'data', 'scratch', 'iso'].map((name) => ({
    name,
    hostDisk: { path: `/var/lib/qvirt/disks/${name}.img`, type: 'DiskOrCreate' as const, capacity: '1Gi' },
  }));
  const noAcpi = plainVmi({ features: { acpi: { enabled: false } }, devices: { autoattachSerialConsole: false } });
  noAcpi.metadata.name = 'vmi-noacpi';
  return [
    { name: 'plain', vmi: plainVmi(), allocation: new Map(), facts: { kvm: false } },
    { name: 'plain-kvm', vmi: plainVmi(), allocation: new Map(), facts: { kvm: true, emulator: '/usr/bin/qemu-system-x86_64' } },
    {
      name: 'qat-x1',
      vmi: qatVmi(1),
      allocation: new Map([[generic, ['0000:3d:01.1']]]),
      facts: { kvm: false, consoleLogPath: '/var/run/kubevirt-private/uid/virt-serial0-log' },
    },
    { name: 'qat-x8', vmi: qatVmi(8), allocation: new Map([[generic, vfAddresses(8)]]), facts: { kvm: false } },
    { name: 'qat-x8-kvm', vmi: qatVmi(8), allocation: new Map([[generic, vfAddresses(8, 0xda)]]), facts: { kvm: true } },
    {
      name: 'host-devices',
      vmi: withHostDevices,
      allocation: new Map([
        [generic, vfAddresses(2)],
        ['example.com/nic', ['0000:af:00.2', '0000:af:00.3']],
      ]),
      facts: { kvm: false },
    },
    { name: 'disks', vmi: withDisks, allocation: new Map(), facts: { kvm: true } },
    { name: 'no-acpi-no-console', vmi: noAcpi, allocation: new Map(), facts: { kvm: false } },
  ];
}
