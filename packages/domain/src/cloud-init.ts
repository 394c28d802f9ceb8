// cloud-init for the guest, as KubeVirt writes it (pkg/cloud-init): the files of a NoCloud
// (volume label `cidata`) or ConfigDrive (`config-2`) disk, which the launcher turns into an
// ISO in the pod's emptyDir. Pure: the same VMI always gives the same files.
import { isStdBase64, ImageVolumePaths, type VirtualMachineInstance } from '@qvirt/api';
import { DomainRenderError } from './errors.js';
import { vmiUuid } from './stable-uuid.js';

export type CloudInitKind = 'noCloud' | 'configDrive';

/** One cloud-init disk: where the launcher writes it and what it holds. */
export interface CloudInitDisk {
  volumeName: string;
  kind: CloudInitKind;
  /** The ISO 9660 volume label cloud-init looks for. */
  label: 'cidata' | 'config-2';
  /** The ISO, as the launcher's QEMU sees it. */
  isoPath: string;
  /** Path inside the ISO -> content. */
  files: Record<string, string>;
}

interface Source {
  userData?: unknown;
  userDataBase64?: unknown;
  networkData?: unknown;
  networkDataBase64?: unknown;
}

/** The guest's hostname, KubeVirt's SanitizeHostname: the VMI name up to its first dot, at most 63 characters. */
export function guestHostname(vmi: VirtualMachineInstance): string {
  const hostname = vmi.spec?.hostname;
  if (typeof hostname === 'string' && hostname !== '') return hostname;
  return (vmi.metadata.name ?? '').split('.')[0]!.slice(0, 63);
}

/** The VMI's cloud-init disk (KubeVirt uses the first cloud-init volume), or undefined. */
export function cloudInitDisk(vmi: VirtualMachineInstance): CloudInitDisk | undefined {
  const volumes: unknown = vmi.spec?.volumes;
  if (!Array.isArray(volumes)) return undefined;
  for (const [i, volume] of (volumes as unknown[]).entries()) {
    if (typeof volume !== 'object' || volume === null) continue;
    const v = volume as { name?: unknown; cloudInitNoCloud?: Source; cloudInitConfigDrive?: Source };
    const kind: CloudInitKind | undefined = v.cloudInitNoCloud ? 'noCloud' : v.cloudInitConfigDrive ? 'configDrive' : undefined;
    if (kind === undefined || typeof v.name !== 'string') continue;
    const field = `spec.volumes[${i}].${kind === 'noCloud' ? 'cloudInitNoCloud' : 'cloudInitConfigDrive'}`;
    const source = (kind === 'noCloud' ? v.cloudInitNoCloud : v.cloudInitConfigDrive)!;
    const userData = text(source.userData, source.userDataBase64, `${field}.userData`);
    const networkData = text(source.networkData, source.networkDataBase64, `${field}.networkData`);
    return build(vmi, v.name, kind, userData ?? '', networkData);
  }
  return undefined;
}

function text(plain: unknown, base64: unknown, field: string): string | undefined {
  if (typeof plain === 'string' && plain !== '') return plain;
  if (typeof base64 === 'string' && base64 !== '') {
    if (!isStdBase64(base64)) throw new DomainRenderError(`${field}Base64`, 'is not valid base64');
    return Buffer.from(base64, 'base64').toString('utf8');
  }
  return undefined;
}

function build(vmi: VirtualMachineInstance, volumeName: string, kind: CloudInitKind, userData: string, networkData: string | undefined): CloudInitDisk {
  const name = vmi.metadata.name ?? '';
  const namespace = vmi.metadata.namespace ?? 'default';
  const uuid = vmiUuid({ uid: vmi.metadata.uid, name, namespace }, vmi.spec?.domain?.firmware?.uuid);
  const hostname = guestHostname(vmi);
  const dir = `${ImageVolumePaths.ephemeral}/cloud-init-data/${namespace}/${name}`;
  if (kind === 'noCloud') {
    // KubeVirt's NoCloudMetadata, marshalled as JSON (a YAML subset cloud-init reads).
    const files: Record<string, string> = {
      'meta-data': JSON.stringify({ 'instance-id': uuid, 'local-hostname': hostname }),
      'user-data': userData,
    };
    if (networkData !== undefined) files['network-config'] = networkData;
    return { volumeName, kind, label: 'cidata', isoPath: `${dir}/noCloud.iso`, files };
  }
  const files: Record<string, string> = {
    'openstack/latest/meta_data.json': JSON.stringify({ instance_id: `${name}.${namespace}`, local_hostname: hostname, hostname, uuid }),
    'openstack/latest/user_data': userData,
  };
  if (networkData !== undefined) files['openstack/latest/network_data.json'] = networkData;
  return { volumeName, kind, label: 'config-2', isoPath: `${dir}/configdrive.iso`, files };
}

/** The launcher's env variable holding its cloud-init disk (JSON of CloudInitDisk), set by virt-controller. */
export const CLOUD_INIT_ENV = 'QVIRT_CLOUD_INIT';

/** Reads CLOUD_INIT_ENV back; throws an Error that says what is wrong with it. */
export function parseCloudInitDisk(textValue: string): CloudInitDisk {
  let value: unknown;
  try {
    value = JSON.parse(textValue);
  } catch (err) {
    throw new Error(`${CLOUD_INIT_ENV} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { volumeName, kind, label, isoPath, files } = v;
  if (typeof volumeName !== 'string' || volumeName === '') throw new Error(`${CLOUD_INIT_ENV}.volumeName must be a name`);
  if (kind !== 'noCloud' && kind !== 'configDrive') throw new Error(`${CLOUD_INIT_ENV}.kind must be noCloud or configDrive`);
  if (label !== (kind === 'noCloud' ? 'cidata' : 'config-2')) throw new Error(`${CLOUD_INIT_ENV}.label does not match its kind`);
  if (typeof isoPath !== 'string' || !isoPath.startsWith('/')) throw new Error(`${CLOUD_INIT_ENV}.isoPath must be an absolute path`);
  if (typeof files !== 'object' || files === null) throw new Error(`${CLOUD_INIT_ENV}.files must be an object`);
  for (const [path, content] of Object.entries(files)) {
    if (path.startsWith('/') || path.split('/').some((p) => p === '..' || p === '') || typeof content !== 'string') {
      throw new Error(`${CLOUD_INIT_ENV}.files: ${JSON.stringify(path)} must be a relative path to text`);
    }
  }
  return { volumeName, kind, label: kind === 'noCloud' ? 'cidata' : 'config-2', isoPath, files: files as Record<string, string> };
}
