import { pciResourceEnvName, type VirtualMachineInstance } from '@qvirt/api';
import type { Allocation } from './allocation.js';
import { AllocationError } from './errors.js';

/** One spec device and the PCI address it gets. */
export interface DeviceAssignment {
  kind: 'qat' | 'hostDevice';
  /** The device's name in the spec (alias `ua-qat-<name>` / `ua-hostdevice-<name>`). */
  name: string;
  /** The resource that provides it, e.g. `qat.intel.com/generic`. */
  deviceName: string;
  /** Normalised PCI address, e.g. `0000:3d:01.1`. */
  address: string;
}

/**
 * Gives every QAT and host device of the VMI the next unused address of its resource
 * (spec order, QATs first). Each address is used once; a resource with fewer addresses than
 * devices fails with the counts.
 */
export function assignDevices(vmi: VirtualMachineInstance, allocation: Allocation): DeviceAssignment[] {
  const devices = vmi.spec?.domain?.devices ?? {};
  const wanted: Omit<DeviceAssignment, 'address'>[] = [
    ...(devices.qats ?? []).map((d) => ({ kind: 'qat' as const, name: d.name, deviceName: d.deviceName })),
    ...(devices.hostDevices ?? []).map((d) => ({ kind: 'hostDevice' as const, name: d.name, deviceName: d.deviceName })),
  ];

  const requested = new Map<string, number>();
  for (const d of wanted) requested.set(d.deviceName, (requested.get(d.deviceName) ?? 0) + 1);
  // Report every short resource's counts before assigning anything.
  for (const [resource, count] of requested) {
    const available = allocation.get(resource)?.length ?? 0;
    if (available < count) throw shortAllocation(resource, count, available);
  }

  const next = new Map<string, number>();
  const usedBy = new Map<string, string>();
  return wanted.map((d) => {
    const i = next.get(d.deviceName) ?? 0;
    const address = allocation.get(d.deviceName)![i]!;
    const holder = usedBy.get(address);
    if (holder !== undefined) {
      // Only a hand-built allocation can list one address twice; allocationFromEnv rejects it.
      throw new AllocationError(`resource ${d.deviceName}: address ${address} is already assigned to ${holder}; each address is used once`, d.deviceName);
    }
    next.set(d.deviceName, i + 1);
    usedBy.set(address, `${d.kind} ${d.name}`);
    return { ...d, address };
  });
}

function shortAllocation(resource: string, requested: number, allocated: number): AllocationError {
  const envVar = pciResourceEnvName(resource);
  const hint = allocated === 0 ? ` (set ${envVar})` : '';
  return new AllocationError(
    `resource ${resource}: ${plural(requested, 'device')} requested, ${plural(allocated, 'address', 'addresses')} allocated${hint}`,
    resource,
    envVar,
  );
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
