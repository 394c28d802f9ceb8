// Runs one DevicePluginServer per planned resource; sync() starts new plugins, stops those no
// longer planned and restarts one whose spec changed. The servers re-list their devices on
// their own (poll + inotify) and re-register after a kubelet restart.
import { DevicePluginServer, KvmDeviceSource, QatDeviceSource, VfioDeviceSource, type DeviceSource } from '@qvirt/device-plugin';
import type { PciHostDevice, QatDiscovery } from '@qvirt/qat';
import { errFields, type Logger } from '@qvirt/log';
import { selectPciDevices, selectVfs, specKey, type PluginSpec } from './device-plugin.plan.js';

export interface DevicePluginManagerOptions {
  pluginDir: string;
  devRoot: string;
  /** Shared, cached discovery (sharedDiscovery()). */
  discover: () => Promise<QatDiscovery>;
  /** Other PCI functions with these `vendor:device` IDs (discoverPciHostDevices). */
  discoverPci: (pciIds: readonly string[]) => Promise<PciHostDevice[]>;
  logger: Logger;
}

export class DevicePluginManager {
  private readonly running = new Map<string, { key: string; server: DevicePluginServer }>();

  constructor(private readonly o: DevicePluginManagerOptions) {}

  resources(): string[] {
    return [...this.running.keys()].sort();
  }

  server(resourceName: string): DevicePluginServer | undefined {
    return this.running.get(resourceName)?.server;
  }

  async sync(plugins: readonly PluginSpec[]): Promise<void> {
    const wanted = new Map(plugins.map((p) => [p.resourceName, p]));
    for (const [resource, r] of [...this.running]) {
      const want = wanted.get(resource);
      if (want && specKey(want) === r.key) continue;
      this.running.delete(resource);
      this.o.logger.info({ resource }, want ? 'device plugin spec changed; restarting it' : 'device plugin no longer needed; stopping it');
      await r.server.stop();
    }
    for (const spec of plugins) {
      if (this.running.has(spec.resourceName)) continue;
      const server = new DevicePluginServer({ source: this.sourceFor(spec), pluginDir: this.o.pluginDir, logger: this.o.logger });
      try {
        await server.start();
      } catch (err) {
        this.o.logger.error({ resource: spec.resourceName, ...errFields(err) }, 'device plugin failed to start; retrying on the next sync');
        await server.stop().catch(() => undefined);
        continue;
      }
      this.running.set(spec.resourceName, { key: specKey(spec), server });
      this.o.logger.info({ resource: spec.resourceName, socket: server.socketPath }, 'device plugin started');
    }
  }

  async stop(): Promise<void> {
    const all = [...this.running.values()];
    this.running.clear();
    await Promise.all(all.map((r) => r.server.stop()));
  }

  private sourceFor(spec: PluginSpec): DeviceSource {
    if (spec.kind === 'kvm') return new KvmDeviceSource({ devRoot: this.o.devRoot });
    if (spec.kind === 'pci') {
      const { discoverPci } = this.o;
      return new VfioDeviceSource({
        resourceName: spec.resourceName,
        devRoot: this.o.devRoot,
        discover: async () => selectPciDevices(await discoverPci(spec.pciIds), spec.pciIds),
      });
    }
    const { discover } = this.o;
    return new QatDeviceSource({
      resourceName: spec.resourceName,
      devRoot: this.o.devRoot,
      // The source reads resources[its name]: hand it exactly the VFs this spec selects.
      discover: async () => {
        const d = await discover();
        return { ...d, resources: { [spec.resourceName]: selectVfs(d, spec.match) } };
      },
    });
  }
}
