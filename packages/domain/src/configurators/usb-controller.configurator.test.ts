import { describe, expect, it } from 'vitest';
import { plainVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { usbControllerConfigurator } from './usb-controller.configurator.js';

const ctx = { assignments: [], facts: { kvm: false } };

describe('usbControllerConfigurator', () => {
  it('adds one usb controller with model none, once, keeping other controllers', () => {
    const d = emptyDomain();
    d.devices.controllers = [{ type: 'scsi', index: 0, model: 'virtio-scsi' }];
    usbControllerConfigurator.configure(plainVmi(), d, ctx);
    usbControllerConfigurator.configure(plainVmi(), d, ctx);
    expect(d.devices.controllers).toEqual([
      { type: 'usb', index: 0, model: 'none' },
      { type: 'scsi', index: 0, model: 'virtio-scsi' },
    ]);
  });
});
