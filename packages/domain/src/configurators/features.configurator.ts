import type { DomainConfigurator } from './configurator.js';

/** ACPI on unless disabled: the guest needs it to honour a graceful shutdown (power button). */
export const featuresConfigurator: DomainConfigurator = {
  name: 'features',
  configure(vmi, domain) {
    domain.features = { acpi: vmi.spec?.domain?.features?.acpi?.enabled !== false };
  },
};
