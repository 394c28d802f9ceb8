import type { ContainerAllocateResponse, ListAndWatchResponse } from './api-types.js';
import type { ContainerAllocation, PluginDevice } from './device-source.js';

/** Our device list as the kubelet's ListAndWatchResponse (pure). */
export function toListAndWatch(devices: readonly PluginDevice[]): ListAndWatchResponse {
  return {
    devices: devices.map((d) => ({
      ID: d.id,
      health: d.health,
      topology: d.numaNode === null ? null : { nodes: [{ ID: d.numaNode }] },
    })),
  };
}

export function toContainerResponse(a: ContainerAllocation): ContainerAllocateResponse {
  return {
    envs: { ...(a.envs ?? {}) },
    mounts: [...(a.mounts ?? [])],
    devices: [...a.devices],
    annotations: { ...(a.annotations ?? {}) },
    cdi_devices: [],
  };
}
