import { isStdBase64, MAX_DEVICES, type StatusCause } from '@qvirt/api';
import { child, index } from '../field-path.js';
import type { SpecRule } from '../spec-view.js';

/** KubeVirt's limits on inline cloud-init data (cloudInitUserMaxLen, cloudInitNetworkMaxLen). */
export const CLOUD_INIT_MAX_BYTES = 2048;

/**
 * cloudInitNoCloud / cloudInitConfigDrive: KubeVirt's rules and messages (one user data source,
 * one network data source, at least one of them, valid base64, 2048 bytes each), plus qvirt's:
 * the secret references are refused (launcher pods mount no Secrets yet), and only one
 * cloud-init volume, the one KubeVirt's launcher would use.
 */
export const validateCloudInit: SpecRule = (fieldPath, spec) => {
  const volumes = spec.volumes;
  if (volumes === undefined || volumes.length > MAX_DEVICES) return [];
  const field = child(fieldPath, 'volumes');
  const causes: StatusCause[] = [];
  let first: string | undefined;
  volumes.forEach((volume, i) => {
    const kind = volume.cloudInitNoCloud !== undefined ? 'cloudInitNoCloud' : volume.cloudInitConfigDrive !== undefined ? 'cloudInitConfigDrive' : undefined;
    if (kind === undefined) return;
    const source = (volume[kind] ?? {}) as Record<string, unknown>;
    const item = child(index(field, i), kind);
    if (first !== undefined) {
      causes.push({ type: 'FieldValueNotSupported', field: item, message: `${item}: only one cloud-init volume is used by the guest, and ${first} is one` });
      return;
    }
    first = item;
    for (const ref of ['secretRef', 'networkDataSecretRef'] as const) {
      const refField = child(item, ref);
      if (source[ref] !== undefined) {
        causes.push({
          type: 'FieldValueNotSupported',
          field: refField,
          message: `${refField}: not supported by qvirt: launcher pods mount no Secrets; give the data inline (${ref === 'secretRef' ? 'userData or userDataBase64' : 'networkData or networkDataBase64'})`,
        });
      }
    }
    const user = data(source, 'userData', item, causes);
    const network = data(source, 'networkData', item, causes);
    if (user.count > 1) causes.push({ type: 'FieldValueInvalid', field: item, message: `${item} must have only one userdatasource set.` });
    if (user.bytes > CLOUD_INIT_MAX_BYTES) {
      causes.push({
        type: 'FieldValueInvalid',
        field: item,
        message: `${item} userdata exceeds ${CLOUD_INIT_MAX_BYTES} byte limit. Should use UserDataSecretRef for larger data.`,
      });
    }
    if (network.count > 1) causes.push({ type: 'FieldValueInvalid', field: item, message: `${item} must have only one networkdata source set.` });
    if (network.bytes > CLOUD_INIT_MAX_BYTES) {
      causes.push({
        type: 'FieldValueInvalid',
        field: item,
        message: `${item} networkdata exceeds ${CLOUD_INIT_MAX_BYTES} byte limit. Should use NetworkDataSecretRef for larger data.`,
      });
    }
    const refs = ['secretRef', 'networkDataSecretRef'].filter((r) => source[r] !== undefined).length;
    if (user.count === 0 && network.count === 0 && refs === 0) {
      causes.push({ type: 'FieldValueInvalid', field: item, message: `${item} must have at least one userdatasource or one networkdatasource set.` });
    }
  });
  return causes;
};

/** How many inline sources of one kind (`userData` / `networkData`) are set, and the size of the data. */
function data(source: Record<string, unknown>, key: 'userData' | 'networkData', item: string, causes: StatusCause[]): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  const plain = source[key];
  const base64 = source[`${key}Base64`];
  if (typeof base64 === 'string' && base64 !== '') {
    count++;
    const b64Field = child(item, `${key}Base64`);
    if (!isStdBase64(base64)) causes.push({ type: 'FieldValueInvalid', field: b64Field, message: `${b64Field} is not a valid base64 value.` });
    else bytes = Buffer.from(base64, 'base64').length;
  }
  if (typeof plain === 'string' && plain !== '') {
    count++;
    bytes = Buffer.byteLength(plain, 'utf8');
  }
  return { count, bytes };
}
