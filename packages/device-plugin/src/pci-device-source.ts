import { join } from 'node:path';
import type { PciHostDevice } from '@qvirt/qat';
import type { ContainerAllocation, DeviceSource, PluginDevice } from './device-source.js';
import { vfioAllocation } from './vfio-allocation.js';

export interface PciDeviceSourceOptions {
  /** permittedHostDevices' resourceName, e.g. `nvidia.com/TU104GL_Tesla_T4`. */
  readonly resourceName: string;
  /** Root of host device paths (`/dev` on a node). */
  readonly devRoot: string;
  /** The functions this resource advertises (already filtered to its selectors and to what can be passed through). */
  readonly discover: () => Promise<readonly PciHostDevice[]>;
}

/**
 * Other PCI functions of permittedHostDevices (not QAT) as kubelet devices, given to a container
 * exactly like QAT VFs: device ID = PCI address, one IOMMU group never split.
 */
export class PciDeviceSource implements DeviceSource {
  readonly resourceName: string;
  readonly watchPaths: readonly string[];
  private devices = new Map<string, PciHostDevice>();

  constructor(private readonly opts: PciDeviceSourceOptions) {
    this.resourceName = opts.resourceName;
    this.watchPaths = [join(opts.devRoot, 'vfio')];
  }

  async listDevices(): Promise<readonly PluginDevice[]> {
    const found = await this.opts.discover();
    this.devices = new Map(found.map((d) => [d.address, d]));
    return found.map((d) => ({
      id: d.address,
      health: d.health,
      unhealthyReason: d.healthReason,
      numaNode: d.numaNode,
      ...(d.iommuGroup !== null ? { groupKey: d.iommuGroup } : {}),
    }));
  }

  allocate(devices: readonly PluginDevice[]): ContainerAllocation {
    return vfioAllocation(
      this.resourceName,
      this.opts.devRoot,
      devices.map((d) => ({ address: d.id, iommuGroup: this.devices.get(d.id)?.iommuGroup ?? null })),
    );
  }
}
