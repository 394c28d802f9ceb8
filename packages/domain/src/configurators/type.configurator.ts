import type { DomainConfigurator } from './configurator.js';

/** `kvm` only when the node really offers it (NodeFacts.kvm), else TCG emulation (`qemu`). */
export const typeConfigurator: DomainConfigurator = {
  name: 'type',
  configure(_vmi, domain, { facts }) {
    domain.type = facts.kvm ? 'kvm' : 'qemu';
    if (facts.emulator !== undefined) domain.devices.emulator = facts.emulator;
    else delete domain.devices.emulator;
  },
};
