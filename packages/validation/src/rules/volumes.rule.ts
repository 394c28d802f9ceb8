import { MAX_DEVICES, tryParseQuantity, type StatusCause } from '@qvirt/api';
import { validateAbsoluteFilePath } from '../absolute-path.js';
import { duplicateName } from '../causes.js';
import { child, index } from '../field-path.js';
import type { SpecRule } from '../spec-view.js';

/**
 * spec.volumes: unique names, exactly one source each, hostDisk paths absolute, a capacity
 * for `DiskOrCreate` (KubeVirt's rules and wording).
 */
export const validateVolumes: SpecRule = (fieldPath, spec) => {
  const volumes = spec.volumes;
  if (volumes === undefined || volumes.length > MAX_DEVICES) return [];
  const field = child(fieldPath, 'volumes');
  const causes: StatusCause[] = [];
  const firstIndex = new Map<string, number>();
  volumes.forEach((volume, i) => {
    const item = index(field, i);
    if (volume.name !== undefined) {
      const first = firstIndex.get(volume.name);
      if (first === undefined) firstIndex.set(volume.name, i);
      else causes.push(duplicateName(child(item, 'name'), item, index(field, first), volume.name));
    }
    const sources = [volume.hostDisk, volume.containerDisk].filter((s) => s !== undefined).length;
    if (sources !== 1) {
      causes.push({ type: 'FieldValueInvalid', field: item, message: `${item} must have exactly one source type set` });
    }
    const hostDisk = volume.hostDisk;
    if (hostDisk !== undefined) {
      const hostDiskField = child(item, 'hostDisk');
      if (hostDisk.path !== undefined) {
        const pathField = child(hostDiskField, 'path');
        causes.push(
          ...(hostDisk.path === ''
            ? [{ type: 'FieldValueRequired' as const, field: pathField, message: `${pathField} is required for hostDisk volume` }]
            : validateAbsoluteFilePath(pathField, hostDisk.path)),
        );
      }
      const capacityField = child(hostDiskField, 'capacity');
      if (hostDisk.type === 'DiskOrCreate' && hostDisk.capacity === undefined) {
        causes.push({ type: 'FieldValueRequired', field: capacityField, message: `${capacityField} is required for hostDisk volume type 'DiskOrCreate'` });
      }
      const bytes = tryParseQuantity(hostDisk.capacity);
      if (bytes !== undefined && bytes <= 0) {
        causes.push({ type: 'FieldValueInvalid', field: capacityField, message: `${capacityField} '${String(hostDisk.capacity)}': must be greater than 0` });
      }
    }
    const containerPath = volume.containerDisk?.path;
    if (containerPath) causes.push(...validateAbsoluteFilePath(child(item, 'containerDisk.path'), containerPath));
  });
  return causes;
};
