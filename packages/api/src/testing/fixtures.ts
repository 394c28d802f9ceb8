// VMI fixtures for tests and benches across the workspaces (export path `@qvirt/api/testing`,
// kept out of the package's main face). The base shape is examples/vmi-plain.yaml and
// examples/vmi-qat.yaml; each call builds a fresh object, so a test may change what it gets.
import { ResourceNames } from '../constants.js';
import type { ObjectMeta } from '../types/meta.js';
import type { DomainSpec, HostDevice, Qat, VirtualMachineInstance, VirtualMachineInstanceStatus } from '../types/vmi.js';

/** qvirt's small test guest (kernel + initramfs on the node), as the examples boot it. */
export const TEST_GUEST = {
  kernelPath: '/var/lib/qvirt/images/qvirt-test-guest/vmlinuz',
  initrdPath: '/var/lib/qvirt/images/qvirt-test-guest/initrd.img',
  kernelArgs: 'console=ttyS0 quiet',
} as const;

export interface VmiFixtureOptions {
  /** Default `vmi-qat` with QATs, else `vmi-plain` (the examples' names). */
  name?: string;
  /** Default `default`. */
  namespace?: string;
  /** More metadata (uid, resourceVersion, creationTimestamp, deletionTimestamp, ...). */
  metadata?: Partial<ObjectMeta>;
  /** A number: that many `qat.intel.com/generic` QATs named qat1..N (see qatDevices). */
  qats?: number | Qat[];
  hostDevices?: HostDevice[];
  /** Replaces keys of spec.domain (cpu, memory, resources, firmware, features, devices ...). */
  domain?: Partial<DomainSpec>;
  /** Replaces keys of spec (volumes, terminationGracePeriodSeconds, ...), domain aside. */
  spec?: Partial<Omit<VirtualMachineInstance['spec'], 'domain'>>;
  status?: VirtualMachineInstanceStatus;
}

/** A valid VMI shaped like the examples: 1 core, 128Mi, the test guest by direct kernel boot. */
export function vmiFixture(o: VmiFixtureOptions = {}): VirtualMachineInstance {
  const qats = typeof o.qats === 'number' ? qatDevices(o.qats) : o.qats;
  const devices = {
    ...(o.domain?.devices ?? {}),
    ...(qats !== undefined ? { qats } : {}),
    ...(o.hostDevices !== undefined ? { hostDevices: o.hostDevices } : {}),
  };
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name: o.name ?? (qats?.length ? 'vmi-qat' : 'vmi-plain'), namespace: o.namespace ?? 'default', ...o.metadata },
    spec: {
      terminationGracePeriodSeconds: 30,
      ...o.spec,
      domain: {
        cpu: { cores: 1 },
        memory: { guest: '128Mi' },
        resources: { requests: { memory: '128Mi' } },
        firmware: {
          kernelBoot: {
            kernelArgs: TEST_GUEST.kernelArgs,
            hostPath: { kernelPath: TEST_GUEST.kernelPath, initrdPath: TEST_GUEST.initrdPath },
          },
        },
        ...o.domain,
        devices,
      },
    },
    ...(o.status !== undefined ? { status: o.status } : {}),
  };
}

/** `count` QATs of one resource, named `qat<firstIndex>`, `qat<firstIndex + 1>`, ... */
export function qatDevices(count: number, opts: { deviceName?: string; firstIndex?: number } = {}): Qat[] {
  const { deviceName = ResourceNames.qatGeneric, firstIndex = 1 } = opts;
  return Array.from({ length: count }, (_, i) => ({ name: `qat${firstIndex + i}`, deviceName }));
}
