import { MAX_DEVICES, tryParseQuantity, type StatusCause } from '@qvirt/api';
import { validateAbsoluteFilePath } from '../absolute-path.js';
import { duplicateName } from '../causes.js';
import { child, index } from '../field-path.js';
import type { SpecRule, VmiSpecView } from '../spec-view.js';

/** The volume sources qvirt runs (the volume schema's members besides `name`). */
const QVIRT_SOURCES = 'containerDisk, emptyDisk, cloudInitNoCloud, cloudInitConfigDrive and hostDisk';

/**
 * KubeVirt's volume sources that qvirt does not have, each with what is missing. They are not in
 * the CRD (ADR 0002): the API server reports them as unknown fields or prunes them. The shape
 * check lets them through to this rule (see `vmi-spec.validator.ts`), so one that does reach
 * validation (`virt-api validate`, a request the API server did not prune) is one cause naming
 * the source, not an unknown field plus "must have exactly one source type set".
 */
export const KUBEVIRT_ONLY_VOLUME_SOURCES = {
  persistentVolumeClaim: 'launcher pods mount no PersistentVolumeClaims',
  sysprep: 'no sysprep disk is built for the guest',
  ephemeral: 'launcher pods mount no PersistentVolumeClaims to put an ephemeral overlay on',
  dataVolume: 'a dataVolume needs CDI (the Containerized Data Importer), which qvirt does not include',
  configMap: 'no ConfigMap is passed to the guest as a disk',
  secret: 'no Secret is passed to the guest as a disk',
  downwardAPI: 'no downward API disk is built for the guest',
  serviceAccount: 'no service account token is passed to the guest as a disk',
  downwardMetrics: 'no downward metrics are served to the guest',
  memoryDump: 'no memory dumps are taken',
  containerPath: 'no container path is passed to the guest',
} as const satisfies Record<string, string>;

type KubevirtOnlySource = keyof typeof KUBEVIRT_ONLY_VOLUME_SOURCES;
const KUBEVIRT_ONLY = Object.entries(KUBEVIRT_ONLY_VOLUME_SOURCES) as [KubevirtOnlySource, string][];

/** A volume as the rule sees it: the typed view, plus whatever KubeVirt-only sources it names. */
type VolumeView = NonNullable<VmiSpecView['volumes']>[number] & { readonly [K in KubevirtOnlySource]?: unknown };

/**
 * spec.volumes: unique names, exactly one source each, hostDisk paths absolute, a capacity
 * for `DiskOrCreate` (KubeVirt's rules and wording). A source qvirt lacks is one cause naming
 * it; "exactly one source" counts the sources qvirt has, and is left out when a volume's only
 * sources are ones qvirt lacks (that cause already says what to change).
 */
export const validateVolumes: SpecRule = (fieldPath, spec) => {
  const volumes = spec.volumes;
  if (volumes === undefined || volumes.length > MAX_DEVICES) return [];
  const field = child(fieldPath, 'volumes');
  const causes: StatusCause[] = [];
  const firstIndex = new Map<string, number>();
  (volumes as readonly VolumeView[]).forEach((volume, i) => {
    const item = index(field, i);
    if (volume.name !== undefined) {
      const first = firstIndex.get(volume.name);
      if (first === undefined) firstIndex.set(volume.name, i);
      else causes.push(duplicateName(child(item, 'name'), item, index(field, first), volume.name));
    }
    let unsupported = 0;
    for (const [source, why] of KUBEVIRT_ONLY) {
      if (volume[source] === undefined) continue;
      unsupported++;
      const sourceField = child(item, source);
      causes.push({
        type: 'FieldValueNotSupported',
        field: sourceField,
        message: `${sourceField}: not supported by qvirt: ${why} (qvirt's volume sources are ${QVIRT_SOURCES})`,
      });
    }
    const sources = [volume.hostDisk, volume.containerDisk, volume.emptyDisk, volume.cloudInitNoCloud, volume.cloudInitConfigDrive].filter(
      (s) => s !== undefined && s !== null,
    ).length;
    if (sources > 1 || (sources === 0 && unsupported === 0)) {
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
      if (hostDisk.type === 'DiskOrCreate' && typeof hostDisk.path === 'string' && /^\/[^/]+$/.test(hostDisk.path)) {
        const pathField = child(hostDiskField, 'path');
        causes.push({
          type: 'FieldValueNotSupported',
          field: pathField,
          message: `${pathField}: a DiskOrCreate disk's directory is mounted into the launcher pod, and qvirt mounts no node's root directory: put the disk in a directory of its own`,
        });
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
    const emptyDisk = volume.emptyDisk;
    if (emptyDisk !== undefined && emptyDisk !== null) {
      const capacityField = child(item, 'emptyDisk.capacity');
      const bytes = tryParseQuantity(emptyDisk.capacity);
      if (bytes !== undefined && bytes <= 0) {
        causes.push({ type: 'FieldValueInvalid', field: capacityField, message: `${capacityField} '${String(emptyDisk.capacity)}': must be greater than 0` });
      }
    }
    const containerPath = volume.containerDisk?.path;
    if (containerPath) causes.push(...validateAbsoluteFilePath(child(item, 'containerDisk.path'), containerPath));
  });
  return causes;
};
