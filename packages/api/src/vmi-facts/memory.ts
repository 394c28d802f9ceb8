import { parseQuantity } from '../quantity.js';
import type { Quantity } from '../types/meta.js';
import type { VirtualMachineInstance } from '../types/vmi.js';
import { vcpuCount } from './cpu.js';
import { hasVfioDevices } from './devices.js';
import { VmiFactError } from './vmi-fact-error.js';

const KiB = 1024;
const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** KubeVirt's memory overhead for VFIO devices; also libvirt's own default memlock margin. */
export const VFIO_MEMORY_OVERHEAD_BYTES = GiB;

/** Every memory figure of a VMI: the pod's request and limit, the domain's memory and its memlock limit. */
export interface VmiMemory {
  /** Guest RAM as requested, and rounded up to whole KiB (libvirt's unit, the domain's `<memory>`). */
  guestBytes: number;
  guestKiB: number;
  /** What the launcher needs besides guest RAM (memoryOverheadBytes). */
  overheadBytes: number;
  /** The compute container's memory request: resources.requests.memory (else guest RAM) + overhead. */
  podRequestBytes: number;
  /** The compute container's memory limit: resources.limits.memory + overhead, when a limit is set. */
  podLimitBytes?: number;
  /**
   * With VFIO devices, guest RAM is pinned for DMA: QEMU's RLIMIT_MEMLOCK, which libvirt takes
   * from `<memtune><hard_limit>`, is guest RAM + 1 GiB. Undefined without VFIO devices.
   */
  memlockBytes?: number;
}

/**
 * Memory the launcher pod needs besides guest RAM, after KubeVirt's overhead estimate
 * (pkg/virt-controller/services/renderresources.go), simplified:
 * - 180 Mi fixed: virt-launcher, its libvirtd + virtlogd, QEMU's own binary and heap
 * - 8 Mi per vCPU: QEMU per-vCPU thread stacks and state
 * - guest / 512: the guest's page tables
 * - 1 Gi when any VFIO device is passed through (KubeVirt's figure): VFIO pins all
 *   guest RAM and QEMU maps the devices' BARs and IOMMU tables.
 */
export function memoryOverheadBytes(guestBytes: number, vcpus: number, vfio: boolean): number {
  return 180 * MiB + 8 * MiB * vcpus + Math.ceil(guestBytes / 512) + (vfio ? VFIO_MEMORY_OVERHEAD_BYTES : 0);
}

/** Guest RAM: memory.guest, else resources.requests.memory, else resources.limits.memory (KubeVirt's order). */
export function guestMemoryBytes(vmi: VirtualMachineInstance): number {
  const domain = vmi.spec?.domain;
  const candidates: [string, Quantity | undefined][] = [
    ['spec.domain.memory.guest', domain?.memory?.guest],
    ['spec.domain.resources.requests.memory', domain?.resources?.requests?.['memory']],
    ['spec.domain.resources.limits.memory', domain?.resources?.limits?.['memory']],
  ];
  const found = candidates.find(([, q]) => q !== undefined && q !== null);
  if (!found) {
    throw new VmiFactError(
      'MissingMemory',
      'spec.domain.memory.guest',
      'required: spec.domain.memory.guest or spec.domain.resources.requests.memory must be set',
    );
  }
  const [field, q] = found;
  const bytes = positiveBytes(field, q!);
  // Guest RAM + the VFIO overhead must stay an exact integer in the domain XML.
  if (!Number.isSafeInteger(Math.ceil(bytes / KiB) * KiB + VFIO_MEMORY_OVERHEAD_BYTES)) {
    throw new VmiFactError('InvalidQuantity', field, `${JSON.stringify(q)} is too large`);
  }
  return bytes;
}

/** The one place the pod's memory, the domain's memory and the memlock limit are computed. */
export function vmiMemory(vmi: VirtualMachineInstance): VmiMemory {
  const guestBytes = guestMemoryBytes(vmi);
  const guestKiB = Math.ceil(guestBytes / KiB);
  const vfio = hasVfioDevices(vmi);
  const overheadBytes = memoryOverheadBytes(guestBytes, vcpuCount(vmi), vfio);
  const resources = vmi.spec?.domain?.resources;
  const request = resources?.requests?.['memory'];
  const limit = resources?.limits?.['memory'];
  const memory: VmiMemory = {
    guestBytes,
    guestKiB,
    overheadBytes,
    podRequestBytes: (request === undefined ? guestBytes : positiveBytes('spec.domain.resources.requests.memory', request)) + overheadBytes,
  };
  if (limit !== undefined) memory.podLimitBytes = positiveBytes('spec.domain.resources.limits.memory', limit) + overheadBytes;
  if (vfio) memory.memlockBytes = guestKiB * KiB + VFIO_MEMORY_OVERHEAD_BYTES;
  return memory;
}

function positiveBytes(field: string, q: Quantity): number {
  let bytes: number;
  try {
    bytes = parseQuantity(q);
  } catch (err) {
    throw new VmiFactError('InvalidQuantity', field, (err as Error).message);
  }
  if (!(bytes > 0)) throw new VmiFactError('InvalidQuantity', field, `${JSON.stringify(q)} must be more than 0`);
  return bytes;
}
