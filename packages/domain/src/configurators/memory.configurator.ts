import { parseQuantity, type Quantity, type VirtualMachineInstance } from '@qvirt/api';
import { DomainRenderError } from '../errors.js';
import type { DomainConfigurator } from './configurator.js';

/** KubeVirt's memory overhead for VFIO devices, also libvirt's own default memlock margin. */
export const VFIO_MEMORY_OVERHEAD_KIB = 1024 * 1024;

/**
 * Guest memory in KiB from spec.domain.memory.guest, else resources.requests.memory, else
 * resources.limits.memory (KubeVirt's order).
 */
export function guestMemoryKiB(vmi: VirtualMachineInstance): number {
  const domainSpec = vmi.spec?.domain;
  const candidates: [string, Quantity | undefined][] = [
    ['spec.domain.memory.guest', domainSpec?.memory?.guest],
    ['spec.domain.resources.requests.memory', domainSpec?.resources?.requests?.['memory']],
    ['spec.domain.resources.limits.memory', domainSpec?.resources?.limits?.['memory']],
  ];
  const found = candidates.find(([, q]) => q !== undefined && q !== null);
  if (!found) {
    throw new DomainRenderError(
      'spec.domain.memory.guest',
      'required: set spec.domain.memory.guest or spec.domain.resources.requests.memory',
    );
  }
  const [field, quantity] = found;
  let bytes: number;
  try {
    bytes = parseQuantity(quantity!);
  } catch (err) {
    throw new DomainRenderError(field, (err as Error).message);
  }
  if (!(bytes > 0)) throw new DomainRenderError(field, `${JSON.stringify(quantity)} must be more than 0`);
  const kib = Math.ceil(bytes / 1024);
  // The VFIO hard limit adds 1 GiB; both must stay exact integers in the XML.
  if (!Number.isSafeInteger(kib + VFIO_MEMORY_OVERHEAD_KIB)) {
    throw new DomainRenderError(field, `${JSON.stringify(quantity)} is too large`);
  }
  return kib;
}

export const memoryConfigurator: DomainConfigurator = {
  name: 'memory',
  configure(vmi, domain) {
    domain.memoryKiB = guestMemoryKiB(vmi);
  },
};
