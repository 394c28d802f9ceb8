import { stat } from 'node:fs/promises';
import { discoverQat, type QatDiscovery } from '@qvirt/qat';
import { UsageError, type DiscoverCommand } from './cli.js';

/** What `virt-handler discover` prints (docs/qat-host-setup.md shows it after each step). */
export interface DiscoverOutput {
  resources: Record<string, DiscoveredVf[]>;
  ignored: { address: string; reason: string }[];
}

export interface DiscoveredVf {
  address: string;
  pf: string | null;
  generation: string;
  driver: string | null;
  iommuGroup: string | null;
  numaNode: number | null;
  health: 'Healthy' | 'Unhealthy';
}

/** Projects a discovery onto the contract's fields only, in a fixed key order (pure). */
export function toDiscoverOutput(d: QatDiscovery): DiscoverOutput {
  const resources: Record<string, DiscoveredVf[]> = {};
  for (const [name, vfs] of Object.entries(d.resources)) {
    resources[name] = vfs.map((v) => ({
      address: v.address,
      pf: v.pf,
      generation: v.generation,
      driver: v.driver,
      iommuGroup: v.iommuGroup,
      numaNode: v.numaNode,
      health: v.health,
    }));
  }
  return { resources, ignored: d.ignored.map((i) => ({ address: i.address, reason: i.reason })) };
}

async function requireDir(flag: string, path: string): Promise<void> {
  const s = await stat(path).catch(() => null);
  if (!s) throw new UsageError(`discover: --${flag} ${path}: no such directory`);
  if (!s.isDirectory()) throw new UsageError(`discover: --${flag} ${path}: not a directory`);
}

export async function runDiscover(cmd: DiscoverCommand): Promise<DiscoverOutput> {
  await requireDir('sysfs-root', cmd.sysfsRoot);
  await requireDir('dev-root', cmd.devRoot);
  return toDiscoverOutput(await discoverQat({ sysfsRoot: cmd.sysfsRoot, devRoot: cmd.devRoot }));
}
