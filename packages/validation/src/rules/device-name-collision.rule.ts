import { MAX_DEVICES, type StatusCause } from '@qvirt/api';
import { child, index } from '../field-path.js';
import type { SpecRule } from '../spec-view.js';

/**
 * A QAT and a host device must not share a name: status.deviceStatus.hostDeviceStatuses
 * lists both kinds keyed by name, so a shared name would make a VMI's status ambiguous.
 * The cause goes on the hostDevices entry.
 */
export const validateDeviceNameCollisions: SpecRule = (fieldPath, spec) => {
  const qats = spec.domain?.devices?.qats ?? [];
  const hostDevices = spec.domain?.devices?.hostDevices ?? [];
  if (qats.length === 0 || hostDevices.length === 0 || qats.length > MAX_DEVICES || hostDevices.length > MAX_DEVICES) return [];
  const qatsField = child(fieldPath, 'domain.devices.qats');
  const hostDevicesField = child(fieldPath, 'domain.devices.hostDevices');
  const qatIndex = new Map<string, number>();
  qats.forEach((q, i) => {
    if (q.name !== undefined && !qatIndex.has(q.name)) qatIndex.set(q.name, i);
  });
  const causes: StatusCause[] = [];
  hostDevices.forEach((h, i) => {
    const qi = h.name === undefined ? undefined : qatIndex.get(h.name);
    if (qi === undefined) return;
    causes.push({
      type: 'FieldValueDuplicate',
      field: child(index(hostDevicesField, i), 'name'),
      message: `${index(hostDevicesField, i)} and ${index(qatsField, qi)} must not have the same name ${JSON.stringify(h.name)}: device status entries are keyed by name`,
    });
  });
  return causes;
};
