import type { DeviceHealth } from '@qvirt/qat';
import type { DeviceSpec, Mount } from './api-types.js';

/** One device as the plugin advertises it. */
export interface PluginDevice {
  /** Kubelet device ID (at most 63 characters). */
  readonly id: string;
  readonly health: DeviceHealth;
  /** Why it is unhealthy (used in Allocate refusals). */
  readonly unhealthyReason?: string | null;
  readonly numaNode: number | null;
  /** Preferred allocations spread across distinct keys (e.g. the parent PF). */
  readonly spreadKey?: string;
  /** Devices sharing a key must go to the same container (e.g. an IOMMU group). */
  readonly groupKey?: string;
}

/** What a container gets for a set of devices (the source fills the kubelet's response). */
export interface ContainerAllocation {
  readonly envs?: Readonly<Record<string, string>>;
  readonly devices: readonly DeviceSpec[];
  readonly mounts?: readonly Mount[];
  readonly annotations?: Readonly<Record<string, string>>;
}

/** What the plugin server needs from a kind of device (QAT VFs, /dev/kvm, ...). */
export interface DeviceSource {
  readonly resourceName: string;
  /** Current devices; the server calls it on start and on every poll or watch event. */
  listDevices(): Promise<readonly PluginDevice[]>;
  /** Devices of one container request, already checked as known, healthy and unique. */
  allocate(devices: readonly PluginDevice[]): ContainerAllocation;
  /** Directories whose changes (fs.watch) should trigger an immediate re-list. */
  readonly watchPaths?: readonly string[];
}
