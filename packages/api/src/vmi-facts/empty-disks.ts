import { tryParseQuantity } from '../quantity.js';
import type { Quantity } from '../types/meta.js';
import type { VirtualMachineInstance } from '../types/vmi.js';
import { envJsonList } from './env-json.js';
import { ImageVolumePaths } from './image-volumes.js';

/** One emptyDisk volume: a blank qcow2 of its capacity that the launcher makes in the pod's emptyDir, gone with the VMI. */
export interface EmptyDisk {
  volumeName: string;
  path: string;
  capacityBytes: number;
}

/** The launcher's env variable listing its emptyDisks (JSON of EmptyDisk[]), set by virt-controller. */
export const EMPTY_DISKS_ENV = 'QVIRT_EMPTY_DISKS';

/** Every emptyDisk volume with a capacity that parses, in spec order (validation reports the others). */
export function emptyDisks(vmi: VirtualMachineInstance): EmptyDisk[] {
  return sizedVolumes(vmi, (name, v) =>
    typeof v.emptyDisk === 'object' && v.emptyDisk !== null
      ? { path: `${ImageVolumePaths.ephemeral}/empty-disks/${name}.qcow2`, capacity: (v.emptyDisk as { capacity?: unknown }).capacity }
      : undefined,
  );
}

/** The volumes `pick` gives a path and a capacity that parses as a positive quantity, in spec order. */
function sizedVolumes(
  vmi: VirtualMachineInstance,
  pick: (name: string, volume: Record<string, unknown>) => { path: string; capacity: unknown } | undefined,
): EmptyDisk[] {
  const volumes: unknown = vmi.spec?.volumes;
  if (!Array.isArray(volumes)) return [];
  const out: EmptyDisk[] = [];
  for (const volume of volumes as unknown[]) {
    if (typeof volume !== 'object' || volume === null) continue;
    const v = volume as Record<string, unknown>;
    const picked = typeof v.name === 'string' ? pick(v.name, v) : undefined;
    const bytes = picked ? tryParseQuantity(picked.capacity as Quantity | undefined) : undefined;
    if (picked && bytes !== undefined && bytes > 0) out.push({ volumeName: v.name as string, path: picked.path, capacityBytes: Math.ceil(bytes) });
  }
  return out;
}

/** The launcher's env variable listing the DiskOrCreate hostDisks it sizes (JSON of EmptyDisk[]: raw files). */
export const HOST_DISKS_ENV = 'QVIRT_HOST_DISKS';

/**
 * hostDisks of type DiskOrCreate with a capacity, as the launcher sees them (their directory is
 * mounted in the pod): the launcher creates a missing or empty one with its capacity, as KubeVirt
 * creates a missing disk.img, and leaves a file with data as it is.
 */
export function hostDisksToCreate(vmi: VirtualMachineInstance): EmptyDisk[] {
  return sizedVolumes(vmi, (_, v) => {
    const hostDisk = v.hostDisk as { path?: unknown; type?: unknown; capacity?: unknown } | undefined;
    return hostDisk?.type === 'DiskOrCreate' && typeof hostDisk.path === 'string' ? { path: hostDisk.path, capacity: hostDisk.capacity } : undefined;
  });
}

/** Reads EMPTY_DISKS_ENV or HOST_DISKS_ENV back; throws an Error that says what is wrong with it. */
export function parseSizedDisks(envName: string, text: string): EmptyDisk[] {
  return envJsonList(envName, text).map((e, i) => {
    if (typeof e.volumeName !== 'string' || e.volumeName === '') throw new Error(`${envName}[${i}].volumeName must be a name`);
    if (typeof e.path !== 'string' || !e.path.startsWith('/')) throw new Error(`${envName}[${i}].path must be an absolute path`);
    if (!Number.isSafeInteger(e.capacityBytes) || (e.capacityBytes as number) <= 0)
      throw new Error(`${envName}[${i}].capacityBytes must be a positive integer`);
    return { volumeName: e.volumeName, path: e.path, capacityBytes: e.capacityBytes as number };
  });
}
