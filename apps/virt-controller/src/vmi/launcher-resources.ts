import type { V1ResourceRequirements } from '@kubernetes/client-node';
import { ResourceNames, formatBytes, parseQuantity, type ClusterConfig, type Quantity, type VirtualMachineInstance } from '@qvirt/api';
import { LauncherPodRenderError } from './render-errors.js';

export type KvmMode = 'kvm' | 'emulation';

const Mi = 2 ** 20;
const Gi = 2 ** 30;

/**
 * Memory the launcher pod needs besides guest RAM, after KubeVirt's overhead
 * estimate (pkg/virt-controller/services/renderresources.go), simplified:
 * - 180 Mi fixed: virt-launcher, its libvirtd + virtlogd, QEMU's own binary and heap
 * - 8 Mi per vCPU: QEMU per-vCPU thread stacks and state
 * - guest / 512: the guest's page tables
 * - 1 Gi when any VFIO device is passed through (KubeVirt's figure): VFIO pins all
 *   guest RAM and QEMU maps the devices' BARs and IOMMU tables.
 */
export function memoryOverheadBytes(guestBytes: number, vcpus: number, vfio: boolean): number {
  return 180 * Mi + 8 * Mi * vcpus + Math.ceil(guestBytes / 512) + (vfio ? Gi : 0);
}

export function vcpuCount(vmi: VirtualMachineInstance): number {
  const cpu = vmi.spec.domain.cpu;
  return (cpu?.cores ?? 1) * (cpu?.sockets ?? 1) * (cpu?.threads ?? 1);
}

/** Guest RAM: memory.guest, else resources.requests.memory (KubeVirt's order). */
export function guestMemoryBytes(vmi: VirtualMachineInstance): number {
  const q = vmi.spec.domain.memory?.guest ?? vmi.spec.domain.resources?.requests?.memory;
  if (q === undefined) throw new LauncherPodRenderError('MissingMemory', 'spec.domain.memory.guest or spec.domain.resources.requests.memory must be set');
  return quantity(q, 'spec.domain.memory.guest');
}

/** deviceName -> count over qats[] and hostDevices[] (N entries with one name -> N). */
export function deviceRequests(vmi: VirtualMachineInstance): Map<string, number> {
  const counts = new Map<string, number>();
  const devices = vmi.spec.domain.devices;
  for (const d of [...(devices.qats ?? []), ...(devices.hostDevices ?? [])]) counts.set(d.deviceName, (counts.get(d.deviceName) ?? 0) + 1);
  return counts;
}

export function hasVfioDevices(vmi: VirtualMachineInstance): boolean {
  return (vmi.spec.domain.devices.qats?.length ?? 0) + (vmi.spec.domain.devices.hostDevices?.length ?? 0) > 0;
}

/** Messages for every deviceName the permittedHostDevices list (when set) does not name. */
export function notPermittedDevices(vmi: VirtualMachineInstance, config: ClusterConfig): string[] {
  const permitted = config.permittedHostDevices;
  if (permitted === undefined) return [];
  const names = new Set([...(permitted.pciHostDevices ?? []), ...(permitted.mediatedDevices ?? [])].map((d) => d.resourceName));
  return [...deviceRequests(vmi).keys()].filter((n) => !names.has(n)).map((n) => `HostDevice ${n} is not permitted in permittedHostDevices configuration`);
}

/**
 * The compute container's resources. Extended resources (QAT, KVM) must have
 * requests == limits in Kubernetes, so both are set.
 */
export function launcherResources(vmi: VirtualMachineInstance, kvmMode: KvmMode): V1ResourceRequirements {
  const res = vmi.spec.domain.resources;
  const vcpus = vcpuCount(vmi);
  const guest = guestMemoryBytes(vmi);
  const overhead = memoryOverheadBytes(guest, vcpus, hasVfioDevices(vmi));
  const requests: Record<string, string> = {
    // No cpu request given: 100m per vCPU (KubeVirt's default cpuAllocationRatio of 10).
    cpu: res?.requests?.cpu !== undefined ? String(res.requests.cpu) : `${100 * vcpus}m`,
    memory: formatBytes(quantity(res?.requests?.memory ?? guest, 'spec.domain.resources.requests.memory') + overhead),
  };
  const limits: Record<string, string> = {};
  if (res?.limits?.cpu !== undefined) limits.cpu = String(res.limits.cpu);
  if (res?.limits?.memory !== undefined) limits.memory = formatBytes(quantity(res.limits.memory, 'spec.domain.resources.limits.memory') + overhead);
  for (const [name, n] of deviceRequests(vmi)) {
    requests[name] = String(n);
    limits[name] = String(n);
  }
  if (kvmMode === 'kvm') {
    requests[ResourceNames.kvm] = '1';
    limits[ResourceNames.kvm] = '1';
  }
  return { requests, limits };
}

function quantity(q: Quantity, field: string): number {
  try {
    return parseQuantity(q);
  } catch (err) {
    throw new LauncherPodRenderError('InvalidQuantity', `${field}: ${(err as Error).message}`);
  }
}
