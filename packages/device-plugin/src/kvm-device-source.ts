import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerAllocation, DeviceSource, PluginDevice } from './device-source.js';

export const KVM_RESOURCE_NAME = 'devices.kubevirt.io/kvm';

export interface KvmDeviceSourceOptions {
  /** Host path root: `<devRoot>/kvm` is mounted at `/dev/kvm`. */
  readonly devRoot: string;
  /** How many pods may share /dev/kvm at once. Default 110 (the kubelet's default max pods). */
  readonly count?: number;
}

/** `/dev/kvm` as N shareable devices (`kvm0`...), KubeVirt's generic device plugin style. */
export class KvmDeviceSource implements DeviceSource {
  readonly resourceName = KVM_RESOURCE_NAME;
  readonly watchPaths: readonly string[];
  private readonly path: string;
  private readonly count: number;

  constructor(opts: KvmDeviceSourceOptions) {
    this.path = join(opts.devRoot, 'kvm');
    this.count = opts.count ?? 110;
    this.watchPaths = [opts.devRoot];
  }

  async listDevices(): Promise<readonly PluginDevice[]> {
    const present = await stat(this.path).then(
      () => true,
      () => false,
    );
    return Array.from({ length: this.count }, (_, i) => ({
      id: `kvm${i}`,
      health: present ? 'Healthy' : 'Unhealthy',
      unhealthyReason: present ? null : `${this.path} missing`,
      numaNode: null,
    }));
  }

  allocate(): ContainerAllocation {
    return { devices: [{ container_path: '/dev/kvm', host_path: this.path, permissions: 'mrw' }] };
  }
}
