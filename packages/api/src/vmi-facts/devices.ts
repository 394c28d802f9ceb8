import { isResourcePermitted, type ClusterConfig } from '../cluster-config.js';
import type { VirtualMachineInstance } from '../types/vmi.js';

/** The two device lists that request a PCI function through a device plugin resource. */
export type DeviceList = 'qats' | 'hostDevices';

/** How KubeVirt names each list's entries in its messages. */
const KIND: Record<DeviceList, string> = { qats: 'QAT', hostDevices: 'HostDevice' };

export interface DeviceRequest {
  list: DeviceList;
  index: number;
  name: unknown;
  deviceName: string;
}

/**
 * Every entry of qats[] and hostDevices[] that names a resource, in spec order. Total on
 * malformed input (a list that is not a list, an entry without a deviceName): such entries
 * request nothing, and validation reports them.
 */
export function deviceRequests(vmi: VirtualMachineInstance): DeviceRequest[] {
  const devices = vmi.spec?.domain?.devices;
  const requests: DeviceRequest[] = [];
  for (const list of ['qats', 'hostDevices'] as const) {
    const entries: unknown = devices?.[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry: unknown, index) => {
      if (typeof entry !== 'object' || entry === null) return;
      const { name, deviceName } = entry as { name?: unknown; deviceName?: unknown };
      if (typeof deviceName === 'string') requests.push({ list, index, name, deviceName });
    });
  }
  return requests;
}

/** resource name -> count (N entries naming one resource ask for N devices). */
export function deviceCounts(vmi: VirtualMachineInstance): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { deviceName } of deviceRequests(vmi)) counts.set(deviceName, (counts.get(deviceName) ?? 0) + 1);
  return counts;
}

/** The distinct resources the VMI asks for (what the launcher's allocation must cover). */
export function requestedResources(vmi: VirtualMachineInstance): string[] {
  return [...deviceCounts(vmi).keys()];
}

/** Any device passed through with VFIO (which pins guest RAM). */
export function hasVfioDevices(vmi: VirtualMachineInstance): boolean {
  return deviceRequests(vmi).length > 0;
}

/** KubeVirt's message for a device whose resource permittedHostDevices does not name. */
export function notPermittedMessage(list: DeviceList, deviceName: string): string {
  return `${KIND[list]} ${deviceName} is not permitted in permittedHostDevices configuration`;
}

/** One message per entry whose resource the cluster config does not permit. */
export function notPermittedDevices(vmi: VirtualMachineInstance, config: ClusterConfig): string[] {
  return deviceRequests(vmi)
    .filter((r) => !isResourcePermitted(config, r.deviceName))
    .map((r) => notPermittedMessage(r.list, r.deviceName));
}
