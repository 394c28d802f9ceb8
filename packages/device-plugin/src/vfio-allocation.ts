import { join } from 'node:path';
import { pciResourceEnvName } from '@qvirt/qat';
import type { DeviceSpec } from './api-types.js';
import type { ContainerAllocation } from './device-source.js';

export const VFIO_PERMISSIONS = 'mrw';

/** A function handed to a container through VFIO. */
export interface VfioFunction {
  readonly address: string;
  readonly iommuGroup: string | null;
}

/**
 * What a container gets for PCI functions passed through VFIO (QAT VFs or any other): the VFIO
 * container node, each IOMMU group's node once, and `PCI_RESOURCE_<NAME>` with the addresses,
 * KubeVirt's convention that virt-launcher reads. `devRoot` is `/dev` on a node.
 */
export function vfioAllocation(resourceName: string, devRoot: string, functions: readonly VfioFunction[]): ContainerAllocation {
  const sorted = [...functions].sort((a, b) => a.address.localeCompare(b.address));
  const devices: DeviceSpec[] = [{ container_path: '/dev/vfio/vfio', host_path: join(devRoot, 'vfio', 'vfio'), permissions: VFIO_PERMISSIONS }];
  const groups = new Set<string>();
  for (const f of sorted) {
    if (f.iommuGroup === null || groups.has(f.iommuGroup)) continue;
    groups.add(f.iommuGroup);
    devices.push({ container_path: `/dev/vfio/${f.iommuGroup}`, host_path: join(devRoot, 'vfio', f.iommuGroup), permissions: VFIO_PERMISSIONS });
  }
  return { envs: { [pciResourceEnvName(resourceName)]: sorted.map((f) => f.address).join(',') }, devices };
}
