import type { QatGeneration } from './pci-ids.js';

/**
 * PF heartbeat as read from debugfs `qat_<pfdrv>_<pfbdf>/heartbeat/status`:
 * `ok` (0), `failed` (-1), `unrecognized` (any other text: treated as failed),
 * `unavailable` (no such file, e.g. debugfs not mounted or an old kernel;
 * the VF is then reported healthy, but this field says health is unverified).
 */
export type HeartbeatStatus = 'ok' | 'failed' | 'unrecognized' | 'unavailable';

export type DeviceHealth = 'Healthy' | 'Unhealthy';

export interface QatPf {
  readonly address: string;
  readonly generation: QatGeneration;
  readonly deviceId: string;
  /** Basename of the `driver` link; null when unbound. */
  readonly driver: string | null;
  readonly numaNode: number | null;
  readonly totalVfs: number | null;
  readonly numVfs: number | null;
  /** Targets of the `virtfnN` links, in N order. */
  readonly vfAddresses: readonly string[];
  /** `qat/cfg_services` text (Gen4+), null when absent. */
  readonly services: string | null;
  /** `qat/state` (Gen4+), null when absent. */
  readonly state: 'up' | 'down' | null;
  readonly heartbeat: HeartbeatStatus;
  /** The debugfs file the heartbeat came from (or would have). */
  readonly heartbeatPath: string;
}

export interface QatVf {
  readonly address: string;
  /** Parent PF (from the `physfn` link); null when not visible (e.g. inside a guest). */
  readonly pf: string | null;
  readonly generation: QatGeneration;
  readonly deviceId: string;
  readonly driver: string | null;
  /** IOMMU group number (basename of the `iommu_group` link). */
  readonly iommuGroup: string | null;
  /** Every device in the VF's IOMMU group, including the VF itself, sorted. */
  readonly iommuGroupMembers: readonly string[];
  /** The VF's `numa_node`, else its PF's; null when unknown (-1). */
  readonly numaNode: number | null;
  readonly health: DeviceHealth;
  /** Why the VF is unhealthy; null when healthy. */
  readonly healthReason: string | null;
  /** The PF's heartbeat; `unavailable` means "healthy but unverified". */
  readonly heartbeat: HeartbeatStatus;
  /** `<devRoot>/vfio/<group>`: the host path of the VFIO group node. */
  readonly vfioDevicePath: string | null;
  /** The resource this VF is advertised as; null when ignored. */
  readonly resourceName: string | null;
  /** Why it is not advertised; null when advertised. */
  readonly ignoredReason: string | null;
}

export interface IgnoredVf {
  readonly address: string;
  readonly reason: string;
}

export interface QatDiscovery {
  /** All QAT PFs, by address. */
  readonly pfs: readonly QatPf[];
  /** All QAT VFs found (advertised and ignored), by address. */
  readonly vfs: readonly QatVf[];
  /** Advertised VFs per resource name; resource keys and VFs sorted. */
  readonly resources: Readonly<Record<string, readonly QatVf[]>>;
  readonly ignored: readonly IgnoredVf[];
}
