import { vmiMemory } from '@qvirt/api';
import { fact } from '../errors.js';
import type { DomainConfigurator } from './configurator.js';

/** The domain's `<memory>`: guest RAM as vmiMemory reads it (memory.guest, requests, limits). */
export const memoryConfigurator: DomainConfigurator = {
  name: 'memory',
  configure(vmi, domain) {
    domain.memoryKiB = fact(() => vmiMemory(vmi)).guestKiB;
  },
};
