import type { StatusCause } from '@qvirt/api';
import { duplicateName, invalid } from '../causes.js';
import { child, index } from '../field-path.js';
import { extendedResourceNameErrors, isExtendedResourceName } from '../names.js';

export interface DeviceEntryView {
  name?: string;
  deviceName?: string;
}

/** What a list adds on top of the common checks for a well-formed deviceName; `field()` builds its path for a cause. */
export type DeviceNamePolicy = (deviceName: string, field: () => string) => readonly StatusCause[];

/** The list's rule for an entry's name: `valid` for the common case, `errors` to say why not. */
export interface EntryNameRule {
  valid: (name: string) => boolean;
  errors: (name: string) => string[];
}

/**
 * The checks every device list shares: each name valid by the list's rule and unique in its
 * list (the later entry gets the cause), each deviceName an extended resource name, then the
 * list's own policy for deviceNames that are well formed.
 */
export function deviceEntryCauses(listField: string, entries: readonly DeviceEntryView[], nameRule: EntryNameRule, policy: DeviceNamePolicy): StatusCause[] {
  const causes: StatusCause[] = [];
  // Each entry's name by index (undefined when it has none): a list is short, so a scan beats a Map.
  const seen: (string | undefined)[] = [];
  for (let i = 0; i < entries.length; i++) {
    const { name, deviceName } = entries[i]!;
    // Field paths are built only for a cause: a valid entry (the common case) needs none.
    if (name !== undefined) {
      if (!nameRule.valid(name)) causes.push(invalid(child(index(listField, i), 'name'), name, nameRule.errors(name).join('; ')));
      const first = seen.indexOf(name);
      if (first !== -1) causes.push(duplicateName(child(index(listField, i), 'name'), index(listField, i), index(listField, first), name));
    }
    seen.push(name);
    if (deviceName !== undefined) {
      const field = (): string => child(index(listField, i), 'deviceName');
      if (!isExtendedResourceName(deviceName)) causes.push(invalid(field(), deviceName, extendedResourceNameErrors(deviceName).join('; ')));
      else {
        const problems = policy(deviceName, field);
        if (problems.length > 0) causes.push(...problems);
      }
    }
  }
  return causes;
}
