import { VFIO_MEMORY_OVERHEAD_KIB } from './memory.configurator.js';
import type { DomainConfigurator } from './configurator.js';

/**
 * With any VFIO device, guest RAM must be pinned for DMA: `<memoryBacking><locked/>` plus
 * `<memtune><hard_limit>` = guest memory + 1 GiB (KubeVirt's VFIO overhead). libvirt uses the
 * hard limit as QEMU's RLIMIT_MEMLOCK; with `locked` and no hard limit it would lift the memlock
 * limit altogether (needs CAP_SYS_RESOURCE, and the host can no longer bound the guest).
 * Runs after the memory and hostdev configurators.
 */
export const vfioMemoryConfigurator: DomainConfigurator = {
  name: 'vfio-memory',
  configure(_vmi, domain) {
    if (domain.devices.hostdevs.length === 0) {
      delete domain.memoryBacking;
      delete domain.memtune;
      return;
    }
    domain.memoryBacking = { locked: true };
    domain.memtune = { hardLimitKiB: domain.memoryKiB + VFIO_MEMORY_OVERHEAD_KIB };
  },
};
