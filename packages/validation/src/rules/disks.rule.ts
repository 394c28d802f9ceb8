import { MAX_DEVICES, type StatusCause } from '@qvirt/api';
import { duplicateName } from '../causes.js';
import { child, index } from '../field-path.js';
import type { SpecRule } from '../spec-view.js';

/**
 * spec.domain.devices.disks: unique names, each naming an existing volume, at most one
 * target type, boot orders not shared (KubeVirt's rules and wording).
 */
export const validateDisks: SpecRule = (fieldPath, spec) => {
  const disks = spec.domain?.devices?.disks;
  if (disks === undefined || disks.length > MAX_DEVICES) return [];
  const field = child(fieldPath, 'domain.devices.disks');
  const volumeNames = new Set((spec.volumes ?? []).map((v) => v.name).filter((n) => n !== undefined));
  const causes: StatusCause[] = [];
  const firstIndex = new Map<string, number>();
  const bootOrders = new Set<number>();
  disks.forEach((disk, i) => {
    const item = index(field, i);
    const nameField = child(item, 'name');
    if (disk.name !== undefined) {
      const first = firstIndex.get(disk.name);
      if (first === undefined) firstIndex.set(disk.name, i);
      else causes.push(duplicateName(nameField, item, index(field, first), disk.name));
      if (!volumeNames.has(disk.name)) {
        causes.push({ type: 'FieldValueInvalid', field: nameField, message: `${nameField} '${disk.name}' not found.` });
      }
    }
    if (disk.disk !== undefined && disk.cdrom !== undefined) {
      causes.push({ type: 'FieldValueInvalid', field: item, message: `${item} can only have a single target type defined` });
    }
    if (disk.bootOrder !== undefined) {
      if (bootOrders.has(disk.bootOrder)) {
        causes.push({
          type: 'FieldValueInvalid',
          field: child(item, 'bootOrder'),
          message: `Boot order for ${item}.bootOrder already set for a different device.`,
        });
      }
      bootOrders.add(disk.bootOrder);
    }
  });
  return causes;
};
