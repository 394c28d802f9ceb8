import { vmiMemory } from '@qvirt/api';
import { fact } from '../errors.js';
import type { DomainConfigurator } from './configurator.js';

/**
 * With any VFIO device, guest RAM must be pinned for DMA: `<memoryBacking><locked/>` plus
 * `<memtune><hard_limit>` = vmiMemory's memlock limit (guest memory + 1 GiB, KubeVirt's VFIO
 * overhead). libvirt uses the hard limit as QEMU's RLIMIT_MEMLOCK; with `locked` and no hard
 * limit it would lift the memlock limit altogether (needs CAP_SYS_RESOURCE, and the host can no
 * longer bound the guest).
 */
export const vfioMemoryConfigurator: DomainConfigurator = {
  name: 'vfio-memory',
  configure(vmi, domain) {
    const memlockBytes = fact(() => vmiMemory(vmi)).memlockBytes;
    if (memlockBytes === undefined) {
      delete domain.memoryBacking;
      delete domain.memtune;
      return;
    }
    domain.memoryBacking = { locked: true };
    domain.memtune = { hardLimitKiB: memlockBytes / 1024 };
  },
};
