import { join } from 'node:path';
import { discoverQat, type QatDiscovery, type QatVf } from '@qvirt/qat';
import type { ContainerAllocation, DeviceSource, PluginDevice } from './device-source.js';
import { vfioAllocation } from './vfio-allocation.js';

export interface QatDeviceSourceOptions {
  /** e.g. `qat.intel.com/generic` or `qat.intel.com/cy`. */
  readonly resourceName: string;
  /**
   * Root of host device paths. DeviceSpec.host_path is `<devRoot>/vfio/<group>`:
   * the kubelet exposes host_path at container_path, so on a node this must be
   * `/dev`; the simulated stack points it at its fake tree.
   */
  readonly devRoot: string;
  /** Where discovery comes from (share one across resources with `sharedDiscovery`). */
  readonly discover: () => Promise<QatDiscovery>;
}

/**
 * QAT VFs of one resource as kubelet devices. Device ID = the VF's PCI
 * address (`0000:3d:01.1`, 12 chars): it is what the allocation env carries
 * and what users see in VMI status, and kubelet checkpoints stay readable.
 * KubeVirt uses the IOMMU group instead; a QAT VF normally has its own
 * group, and when several advertised VFs do share one, `groupKey` makes
 * Allocate refuse to split the group and GetPreferredAllocation keep it whole.
 */
export class QatDeviceSource implements DeviceSource {
  readonly resourceName: string;
  readonly watchPaths: readonly string[];
  private vfs = new Map<string, QatVf>();

  constructor(private readonly opts: QatDeviceSourceOptions) {
    this.resourceName = opts.resourceName;
    this.watchPaths = [join(opts.devRoot, 'vfio')];
  }

  async listDevices(): Promise<readonly PluginDevice[]> {
    const d = await this.opts.discover();
    const vfs = d.resources[this.resourceName] ?? [];
    this.vfs = new Map(vfs.map((v) => [v.address, v]));
    return vfs.map((v) => ({
      id: v.address,
      health: v.health,
      unhealthyReason: v.healthReason,
      numaNode: v.numaNode,
      spreadKey: v.pf ?? v.address,
      ...(v.iommuGroup !== null ? { groupKey: v.iommuGroup } : {}),
    }));
  }

  allocate(devices: readonly PluginDevice[]): ContainerAllocation {
    return vfioAllocation(
      this.resourceName,
      this.opts.devRoot,
      devices.map((d) => ({ address: d.id, iommuGroup: this.vfs.get(d.id)?.iommuGroup ?? null })),
    );
  }
}

export interface SharedDiscoveryOptions {
  readonly sysfsRoot: string;
  readonly devRoot: string;
  readonly debugfsRoot?: string;
  /** Results younger than this are reused. Default 200 ms. */
  readonly maxAgeMs?: number;
}

/** One discovery shared by every resource's source: concurrent and recent calls reuse a result. */
export function sharedDiscovery(opts: SharedDiscoveryOptions): () => Promise<QatDiscovery> {
  let last: { at: number; result: Promise<QatDiscovery> } | null = null;
  const maxAge = opts.maxAgeMs ?? 200;
  return () => {
    if (last && Date.now() - last.at < maxAge) return last.result;
    const result = discoverQat({ sysfsRoot: opts.sysfsRoot, devRoot: opts.devRoot, ...(opts.debugfsRoot ? { debugfsRoot: opts.debugfsRoot } : {}) });
    const entry = { at: Date.now(), result };
    last = entry;
    result.catch(() => {
      if (last === entry) last = null;
    });
    return result;
  };
}
