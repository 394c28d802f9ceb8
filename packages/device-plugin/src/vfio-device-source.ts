import { join } from 'node:path';
import { pciResourceEnvName } from '@qvirt/qat';
import type { DeviceSpec } from './api-types.js';
import type { DeviceHealth } from '@qvirt/qat';
import type { ContainerAllocation, DeviceSource, PluginDevice } from './device-source.js';

export const VFIO_PERMISSIONS = 'mrw';

/** A PCI function handed to containers through VFIO: a QAT VF, or any function permittedHostDevices names. */
export interface VfioDevice {
  readonly address: string;
  readonly iommuGroup: string | null;
  readonly health: DeviceHealth;
  readonly healthReason: string | null;
  readonly numaNode: number | null;
  /** Preferred allocations spread across distinct keys (a QAT VF's PF). */
  readonly spreadKey?: string;
}

export interface VfioDeviceSourceOptions {
  /** e.g. `qat.intel.com/generic` or `nvidia.com/TU104GL_Tesla_T4`. */
  readonly resourceName: string;
  /**
   * Root of host device paths. DeviceSpec.host_path is `<devRoot>/vfio/<group>`:
   * the kubelet exposes host_path at container_path, so on a node this must be
   * `/dev`; the simulated stack points it at its fake tree.
   */
  readonly devRoot: string;
  /** The functions this resource advertises now. */
  readonly discover: () => Promise<readonly VfioDevice[]>;
}

/**
 * PCI functions of one resource as kubelet devices. Device ID = the PCI address
 * (`0000:3d:01.1`, 12 chars): it is what the allocation env carries and what users see in VMI
 * status, and kubelet checkpoints stay readable. KubeVirt uses the IOMMU group instead; a VF
 * normally has its own group, and when several advertised functions do share one, `groupKey`
 * makes Allocate refuse to split the group and GetPreferredAllocation keep it whole.
 * A container gets the VFIO container node, each group's node once, and `PCI_RESOURCE_<NAME>`
 * with the addresses (KubeVirt's convention, which virt-launcher reads).
 */
export class VfioDeviceSource implements DeviceSource {
  readonly resourceName: string;
  readonly watchPaths: readonly string[];
  private groups = new Map<string, string | null>();

  constructor(private readonly opts: VfioDeviceSourceOptions) {
    this.resourceName = opts.resourceName;
    this.watchPaths = [join(opts.devRoot, 'vfio')];
  }

  async listDevices(): Promise<readonly PluginDevice[]> {
    const found = await this.opts.discover();
    this.groups = new Map(found.map((d) => [d.address, d.iommuGroup]));
    return found.map((d) => ({
      id: d.address,
      health: d.health,
      unhealthyReason: d.healthReason,
      numaNode: d.numaNode,
      ...(d.spreadKey !== undefined ? { spreadKey: d.spreadKey } : {}),
      ...(d.iommuGroup !== null ? { groupKey: d.iommuGroup } : {}),
    }));
  }

  allocate(devices: readonly PluginDevice[]): ContainerAllocation {
    const addresses = devices.map((d) => d.id).sort();
    const vfio = (name: string): DeviceSpec => ({
      container_path: `/dev/vfio/${name}`,
      host_path: join(this.opts.devRoot, 'vfio', name),
      permissions: VFIO_PERMISSIONS,
    });
    const specs: DeviceSpec[] = [vfio('vfio')];
    const seen = new Set<string>();
    for (const a of addresses) {
      const group = this.groups.get(a);
      if (!group || seen.has(group)) continue;
      seen.add(group);
      specs.push(vfio(group));
    }
    return { envs: { [pciResourceEnvName(this.resourceName)]: addresses.join(',') }, devices: specs };
  }
}
