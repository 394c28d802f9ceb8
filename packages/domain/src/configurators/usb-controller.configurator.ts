import type { DomainConfigurator } from './configurator.js';

/** No USB controller (KubeVirt's default without USB devices): one emulated device less. */
export const usbControllerConfigurator: DomainConfigurator = {
  name: 'usb-controller',
  configure(_vmi, domain) {
    const others = domain.devices.controllers.filter((c) => c.type !== 'usb');
    domain.devices.controllers = [{ type: 'usb', index: 0, model: 'none' }, ...others];
  },
};
