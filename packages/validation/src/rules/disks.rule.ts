import { MAX_DEVICES, type StatusCause } from '@qvirt/api';
import { duplicateName } from '../causes.js';
import { child, index } from '../field-path.js';
import { dns1123LabelErrors, isDns1123Label } from '../names.js';
import type { SpecRule } from '../spec-view.js';

/**
 * spec.domain.devices.disks: unique names, each naming an existing volume, at most one
 * target type, boot orders not shared, names DNS-1123 labels (KubeVirt's rules and wording).
 * KubeVirt wants a label because a disk's name can become a container's; in qvirt it becomes
 * the libvirt alias `ua-<name>`, which a label always keeps valid.
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
    if (disk.name !== undefined && !isDns1123Label(disk.name)) {
      for (const message of dns1123LabelErrors(disk.name)) causes.push({ type: 'FieldValueInvalid', field: nameField, message });
    }
  });
  return causes;
};
