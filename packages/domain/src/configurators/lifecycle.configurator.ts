import type { DomainConfigurator } from './configurator.js';

/**
 * A guest poweroff or crash ends the domain (the VMI then reaches Succeeded/Failed); a guest
 * reboot stays inside the same domain, as in KubeVirt.
 */
export const lifecycleConfigurator: DomainConfigurator = {
  name: 'lifecycle',
  configure(_vmi, domain) {
    domain.onPoweroff = 'destroy';
    domain.onReboot = 'restart';
    domain.onCrash = 'destroy';
  },
};
