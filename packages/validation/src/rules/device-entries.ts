import type { StatusCause } from '@qvirt/api';
import { duplicateName, invalid } from '../causes.js';
import { child, index } from '../field-path.js';
import { dns1123LabelErrors, extendedResourceNameErrors } from '../names.js';

export interface DeviceEntryView {
  name?: string;
  deviceName?: string;
}

/** What a list adds on top of the common checks for a well-formed deviceName. */
export type DeviceNamePolicy = (field: string, deviceName: string) => StatusCause[];

/**
 * The checks every device list shares: each name a DNS-1123 label, unique in its list
 * (the later entry gets the cause), each deviceName an extended resource name, then the
 * list's own policy for deviceNames that are well formed.
 */
export function deviceEntryCauses(listField: string, entries: readonly DeviceEntryView[], policy: DeviceNamePolicy): StatusCause[] {
  const causes: StatusCause[] = [];
  const firstIndex = new Map<string, number>();
  entries.forEach((entry, i) => {
    const item = index(listField, i);
    const { name, deviceName } = entry;
    if (name !== undefined) {
      const nameField = child(item, 'name');
      const errs = dns1123LabelErrors(name);
      if (errs.length > 0) causes.push(invalid(nameField, name, errs.join('; ')));
      const first = firstIndex.get(name);
      if (first === undefined) firstIndex.set(name, i);
      else causes.push(duplicateName(nameField, item, index(listField, first), name));
    }
    if (deviceName !== undefined) {
      const field = child(item, 'deviceName');
      const errs = extendedResourceNameErrors(deviceName);
      if (errs.length > 0) causes.push(invalid(field, deviceName, errs.join('; ')));
      else causes.push(...policy(field, deviceName));
    }
  });
  return causes;
}
