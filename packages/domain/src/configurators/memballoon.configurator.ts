import type { DomainConfigurator } from './configurator.js';

/** No balloon: guest memory is fixed (and locked with VFIO devices, where ballooning can't work). */
export const memballoonConfigurator: DomainConfigurator = {
  name: 'memballoon',
  configure(_vmi, domain) {
    domain.devices.memballoon = { model: 'none' };
  },
};
