import { join } from 'node:path';
import { readIommuGroup, vfioProblem, type IommuGroupInfo } from './iommu-group.js';
import { matchQatDevice, type QatDeviceMatch, type QatGenerationInfo } from './pci-ids.js';
import { readPf } from './pf-discovery.js';
import type { DeviceHealth, IgnoredVf, QatDiscovery, QatPf, QatVf } from './qat-device.js';
import { QAT_RESOURCE_GENERIC, resourceForServices } from './resource-names.js';
import { listDir, parseNumaNode, pathExists, readAttr, readLinkBasename, readPciId } from './sysfs-read.js';

export interface DiscoverOptions {
  /** A tree laid out like `/sys`. */
  readonly sysfsRoot: string;
  /** A tree laid out like `/dev` (for `vfio/<group>` nodes). */
  readonly devRoot: string;
  /** Where debugfs is mounted; default `<sysfsRoot>/kernel/debug`. */
  readonly debugfsRoot?: string;
}

interface Classified {
  readonly address: string;
  readonly deviceId: string;
  readonly match: QatDeviceMatch;
}

async function classify(sysfsRoot: string, address: string): Promise<Classified | null> {
  const id = await readPciId(join(sysfsRoot, 'bus', 'pci', 'devices', address));
  if (!id) return null;
  const match = matchQatDevice(id[0], id[1]);
  return match ? { address, deviceId: id[1], match } : null;
}

interface VfFacts {
  readonly address: string;
  readonly deviceId: string;
  readonly info: QatGenerationInfo;
  readonly pf: string | null;
  readonly driver: string | null;
  readonly iommuGroup: string | null;
  readonly group: IommuGroupInfo | null;
  readonly ownNuma: number | null;
  readonly vfioNodeExists: boolean;
}

async function readVf(opts: DiscoverOptions, c: Classified): Promise<VfFacts> {
  const dir = join(opts.sysfsRoot, 'bus', 'pci', 'devices', c.address);
  const [pf, driver, iommuGroup, numa] = await Promise.all([
    readLinkBasename(join(dir, 'physfn')),
    readLinkBasename(join(dir, 'driver')),
    readLinkBasename(join(dir, 'iommu_group')),
    readAttr(join(dir, 'numa_node')),
  ]);
  const [group, vfioNodeExists] = iommuGroup
    ? await Promise.all([readIommuGroup(opts.sysfsRoot, iommuGroup, { address: c.address, driver }), pathExists(join(opts.devRoot, 'vfio', iommuGroup))])
    : [null, false];
  return { address: c.address, deviceId: c.deviceId, info: c.match.info, pf, driver, iommuGroup, group, ownNuma: parseNumaNode(numa), vfioNodeExists };
}

/** Which resource a VF belongs to, or why it has none (pure). */
function resourceFor(vf: VfFacts, pf: QatPf | undefined): { resourceName: string } | { reason: string } {
  if (!vf.info.configurableServices) return { resourceName: QAT_RESOURCE_GENERIC };
  if (!pf) return { reason: `PF ${vf.pf ?? '(none)'} not found; cannot tell the VF's services` };
  if (pf.state === 'down') return { reason: `PF ${pf.address} state down` };
  if (pf.services === null) return { reason: `PF ${pf.address} has no qat/cfg_services; cannot tell the VF's services` };
  const r = resourceForServices(pf.services);
  return r.ok ? { resourceName: r.resourceName } : { reason: `PF ${pf.address}: ${r.reason}` };
}

/** Why a VF is not advertised, or null (pure; first problem wins, in the order an operator fixes them). */
function ignoreReason(vf: VfFacts): string | null {
  return vfioProblem(vf.address, vf.driver, vf.iommuGroup === null ? null : vf.group);
}

function health(vf: VfFacts, pf: QatPf | undefined, devRoot: string): { health: DeviceHealth; reason: string | null } {
  const reasons: string[] = [];
  if (pf?.heartbeat === 'failed') reasons.push(`PF ${pf.address} heartbeat failed (${pf.heartbeatPath} = -1)`);
  if (pf?.heartbeat === 'unrecognized') reasons.push(`PF ${pf.address} heartbeat unreadable (${pf.heartbeatPath})`);
  if (vf.iommuGroup !== null && !vf.vfioNodeExists) reasons.push(`${join(devRoot, 'vfio', vf.iommuGroup)} missing`);
  return reasons.length === 0 ? { health: 'Healthy', reason: null } : { health: 'Unhealthy', reason: reasons.join('; ') };
}

/**
 * Finds every QAT PF and VF under `<sysfsRoot>/bus/pci/devices`, decides which
 * VFs can be advertised (bound to vfio-pci, in a real IOMMU group whose other
 * members are on vfio-pci too, PF up) and under which resource, and their
 * health (PF heartbeat, `/dev/vfio/<group>` present). Output sorted by address.
 */
export async function discoverQat(opts: DiscoverOptions): Promise<QatDiscovery> {
  const debugfsRoot = opts.debugfsRoot ?? join(opts.sysfsRoot, 'kernel', 'debug');
  const addresses = await listDir(join(opts.sysfsRoot, 'bus', 'pci', 'devices'));
  const classified = (await Promise.all(addresses.map((a) => classify(opts.sysfsRoot, a)))).filter((c): c is Classified => c !== null);
  const [pfs, vfFacts] = await Promise.all([
    Promise.all(
      classified.filter((c) => c.match.kind === 'pf').map((c) => readPf({ sysfsRoot: opts.sysfsRoot, debugfsRoot }, c.address, c.deviceId, c.match.info)),
    ),
    Promise.all(classified.filter((c) => c.match.kind === 'vf').map((c) => readVf(opts, c))),
  ]);
  const pfByAddress = new Map(pfs.map((p) => [p.address, p]));

  const vfs: QatVf[] = vfFacts.map((f) => {
    const pf = f.pf ? pfByAddress.get(f.pf) : undefined;
    const h = health(f, pf, opts.devRoot);
    const res = resourceFor(f, pf);
    const ignoredReason = ignoreReason(f) ?? ('reason' in res ? res.reason : null);
    return {
      address: f.address,
      pf: f.pf,
      generation: f.info.generation,
      deviceId: f.deviceId,
      driver: f.driver,
      iommuGroup: f.iommuGroup,
      iommuGroupMembers: f.group ? f.group.members.map((m) => m.address) : [],
      numaNode: f.ownNuma ?? pf?.numaNode ?? null,
      health: h.health,
      healthReason: h.reason,
      heartbeat: pf?.heartbeat ?? 'unavailable',
      vfioDevicePath: f.iommuGroup !== null ? join(opts.devRoot, 'vfio', f.iommuGroup) : null,
      resourceName: ignoredReason === null && 'resourceName' in res ? res.resourceName : null,
      ignoredReason,
    };
  });

  const resources: Record<string, QatVf[]> = {};
  const ignored: IgnoredVf[] = [];
  for (const vf of vfs) {
    if (vf.resourceName !== null) (resources[vf.resourceName] ??= []).push(vf);
    else ignored.push({ address: vf.address, reason: vf.ignoredReason ?? 'not advertised' });
  }
  const sortedResources: Record<string, QatVf[]> = {};
  for (const name of Object.keys(resources).sort()) sortedResources[name] = resources[name] ?? [];
  return { pfs, vfs, resources: sortedResources, ignored };
}
