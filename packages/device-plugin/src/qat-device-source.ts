import { discoverQat, type QatDiscovery } from '@qvirt/qat';
import { VfioDeviceSource, type VfioDeviceSourceOptions } from './vfio-device-source.js';

export interface QatDeviceSourceOptions extends Omit<VfioDeviceSourceOptions, 'discover'> {
  /** e.g. `qat.intel.com/generic` or `qat.intel.com/cy`. */
  readonly resourceName: string;
  /** Where discovery comes from (share one across resources with `sharedDiscovery`). */
  readonly discover: () => Promise<QatDiscovery>;
}

/** The advertised QAT VFs of one resource; preferred allocations spread across PFs. */
export class QatDeviceSource extends VfioDeviceSource {
  constructor(opts: QatDeviceSourceOptions) {
    super({
      resourceName: opts.resourceName,
      devRoot: opts.devRoot,
      discover: async () => ((await opts.discover()).resources[opts.resourceName] ?? []).map((vf) => ({ ...vf, spreadKey: vf.pf ?? vf.address })),
    });
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
