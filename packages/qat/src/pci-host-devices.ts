// PCI functions other than QAT VFs that KubeVirt's permittedHostDevices.pciHostDevices names by
// `vendor:device` (a NIC VF, a GPU). Found in the same sysfs tree and advertised by the same rules
// as QAT VFs: bound to vfio-pci, in a real IOMMU group held whole on vfio-pci, its
// `/dev/vfio/<group>` present. There is no heartbeat for these; a missing group node is unhealthy.
import { join } from 'node:path';
import { readIommuGroup, vfioProblem } from './iommu-group.js';
import { matchQatDevice, VFIO_PCI_DRIVER } from './pci-ids.js';
import type { DeviceHealth } from './qat-device.js';
import { listDir, parseNumaNode, pathExists, readAttr, readLinkBasename, readPciId } from './sysfs-read.js';
import type { DiscoverOptions } from './vf-discovery.js';

export interface PciHostDevice {
  readonly address: string;
  /** `vendor:device`, lower-case hex, as in pciVendorSelector. */
  readonly pciId: string;
  readonly driver: string | null;
  readonly iommuGroup: string | null;
  readonly numaNode: number | null;
  readonly health: DeviceHealth;
  readonly healthReason: string | null;
  /** Why it cannot be advertised (driver, IOMMU group); null when it can. */
  readonly ignoredReason: string | null;
}

/** `8086:1889`, `0x10DE:0x1EB8` -> `10de:1eb8`; undefined when it is not two 4-digit hex IDs. */
export function normalizePciSelector(raw: string): string | undefined {
  const m = /^\s*(?:0x)?([0-9a-fA-F]{4})\s*:\s*(?:0x)?([0-9a-fA-F]{4})\s*$/.exec(raw);
  return m ? `${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()}` : undefined;
}

/**
 * The functions under `<sysfsRoot>/bus/pci/devices` whose `vendor:device` is one of `pciIds`,
 * QAT functions excepted (discoverQat owns those). Sorted by address.
 */
export async function discoverPciHostDevices(opts: DiscoverOptions, pciIds: readonly string[]): Promise<PciHostDevice[]> {
  const wanted = new Set(
    pciIds
      .map((s) => normalizePciSelector(s))
      .filter((s): s is string => s !== undefined && matchQatDevice(...(s.split(':') as [string, string])) === undefined),
  );
  // QAT-only selectors (the usual case) need no walk of the PCI tree at all.
  if (wanted.size === 0) return [];
  const addresses = await listDir(join(opts.sysfsRoot, 'bus', 'pci', 'devices'));
  const found = await Promise.all(addresses.sort().map((a) => readIfWanted(opts, a, wanted)));
  return found.filter((d): d is PciHostDevice => d !== null);
}

async function readIfWanted(opts: DiscoverOptions, address: string, wanted: ReadonlySet<string>): Promise<PciHostDevice | null> {
  const dir = join(opts.sysfsRoot, 'bus', 'pci', 'devices', address);
  const id = await readPciId(dir);
  if (!id || !wanted.has(`${id[0]}:${id[1]}`)) return null;
  const [driver, iommuGroup, numa] = await Promise.all([
    readLinkBasename(join(dir, 'driver')),
    readLinkBasename(join(dir, 'iommu_group')),
    readAttr(join(dir, 'numa_node')),
  ]);
  const [group, vfioNode] = iommuGroup
    ? await Promise.all([readIommuGroup(opts.sysfsRoot, iommuGroup, { address, driver }), pathExists(join(opts.devRoot, 'vfio', iommuGroup))])
    : [null, false];
  // Only a function on vfio-pci has a group node to miss.
  const missingNode = iommuGroup !== null && driver === VFIO_PCI_DRIVER && !vfioNode ? `${join(opts.devRoot, 'vfio', iommuGroup)} missing` : null;
  return {
    address,
    pciId: `${id[0]}:${id[1]}`,
    driver,
    iommuGroup,
    numaNode: parseNumaNode(numa),
    health: missingNode === null ? 'Healthy' : 'Unhealthy',
    healthReason: missingNode,
    ignoredReason: vfioProblem(address, driver, group),
  };
}
