import { join } from 'node:path';
import { VFIO_PCI_DRIVER } from './pci-ids.js';
import { listDir, readAttr, readLinkBasename } from './sysfs-read.js';

export const NOIOMMU_GROUP_NAME = 'vfio-noiommu';

export interface IommuGroupMember {
  readonly address: string;
  readonly driver: string | null;
}

export interface IommuGroupInfo {
  readonly group: string;
  /** `kernel/iommu_groups/<n>/name`; `vfio-noiommu` means no real IOMMU. */
  readonly name: string | null;
  readonly members: readonly IommuGroupMember[];
}

/**
 * Reads `<sysfsRoot>/kernel/iommu_groups/<group>`: its name and members with
 * their drivers (`self`, whose driver the caller already knows, is not re-read).
 */
export async function readIommuGroup(sysfsRoot: string, group: string, self?: IommuGroupMember): Promise<IommuGroupInfo> {
  const dir = join(sysfsRoot, 'kernel', 'iommu_groups', group);
  const [name, addresses] = await Promise.all([readAttr(join(dir, 'name')), listDir(join(dir, 'devices'))]);
  const members = await Promise.all(
    addresses.map(async (address) => ({
      address,
      driver: address === self?.address ? self.driver : await readLinkBasename(join(sysfsRoot, 'bus', 'pci', 'devices', address, 'driver')),
    })),
  );
  return { group, name, members };
}

/** Why a group may not be handed to a VM, or null when it may (pure). */
export function groupProblem(info: IommuGroupInfo, vfAddress: string): string | null {
  if (info.name === NOIOMMU_GROUP_NAME) {
    return `iommu group ${info.group} is vfio-noiommu: no IOMMU isolation, not safe to pass through`;
  }
  const others = info.members.filter((m) => m.address !== vfAddress && m.driver !== VFIO_PCI_DRIVER);
  if (others.length > 0) {
    const list = others.map((m) => `${m.address} (driver ${m.driver ?? 'none'})`).join(', ');
    return `iommu group ${info.group} also holds ${list}, not on vfio-pci; a group goes to one VM whole`;
  }
  return null;
}

/**
 * Why a function cannot be handed to a VM through VFIO, or null when it can (pure; first problem
 * wins, in the order an operator fixes them): bound to vfio-pci, in a real IOMMU group whose
 * other members are on vfio-pci too.
 */
export function vfioProblem(address: string, driver: string | null, group: IommuGroupInfo | null): string | null {
  if (driver === null) return 'no driver';
  if (driver !== VFIO_PCI_DRIVER) return `driver ${driver}, not vfio-pci`;
  if (group === null) return 'no iommu group';
  return groupProblem(group, address);
}
