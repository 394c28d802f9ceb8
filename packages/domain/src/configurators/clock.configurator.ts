import type { DomainConfigurator } from './configurator.js';

/** Guest RTC in UTC, KubeVirt's default. */
export const clockConfigurator: DomainConfigurator = {
  name: 'clock',
  configure(_vmi, domain) {
    domain.clock = { offset: 'utc' };
  },
};
