// The node-level loop: QAT (and permitted PCI) discovery -> device plugins, Node labels, VF metrics. Runs every
// resync interval and at once when the cluster configuration changes; level-based (each run
// compares with what is there and only changes the difference).
import { ResourcePaths, type KubeClient } from '@qvirt/kube';
import { errFields, type Logger } from '@qvirt/log';
import type { ClusterConfig } from '@qvirt/api';
import type { PciHostDevice, QatDiscovery } from '@qvirt/qat';
import type { DevicePluginManager } from './device-plugin.manager.js';
import { permittedPciIds, planDevicePlugins } from './device-plugin.plan.js';
import { desiredNodeLabels, nodeLabelPatch } from './node-labels.js';

export interface NodeSyncOptions {
  nodeName: string;
  client: KubeClient;
  discover: () => Promise<QatDiscovery>;
  /** Other PCI functions that permittedHostDevices names (discoverPciHostDevices). */
  discoverPci: (pciIds: readonly string[]) => Promise<PciHostDevice[]>;
  clusterConfig: () => ClusterConfig;
  plugins: DevicePluginManager;
  logger: Logger;
  intervalMs: number;
  /** Receives every discovery (metrics). */
  onDiscovery?: (d: QatDiscovery) => void;
}

interface NodeObject {
  metadata?: { labels?: Record<string, string> };
}

export class NodeSync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private lastNotes = '';
  private stopped = false;
  /** Labels as last applied (tests, logs). */
  lastLabels: Record<string, string | null> | undefined;

  constructor(private readonly o: NodeSyncOptions) {}

  async start(): Promise<void> {
    await this.trigger();
    this.timer = setInterval(() => void this.trigger(), this.o.intervalMs);
  }

  /** Runs a sync now (or right after the one in flight). Never rejects. */
  trigger(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.syncOnce().catch((err: unknown) => this.o.logger.warn(errFields(err), 'node sync failed; retrying on the next interval'));
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async syncOnce(): Promise<void> {
    const config = this.o.clusterConfig();
    const [discovery, pciDevices] = await Promise.all([this.o.discover(), this.o.discoverPci(permittedPciIds(config))]);
    this.o.onDiscovery?.(discovery);
    const plan = planDevicePlugins(discovery, config, pciDevices);
    const notes = plan.notes.join('\n');
    if (notes !== this.lastNotes && notes !== '') this.o.logger.info({ notes: plan.notes }, 'device plugin plan notes');
    this.lastNotes = notes;
    await this.o.plugins.sync(plan.plugins);
    await this.syncLabels(desiredNodeLabels(discovery));
  }

  private async syncLabels(desired: Record<string, string | null>): Promise<void> {
    const path = ResourcePaths.nodes(this.o.nodeName);
    const node = await this.o.client.get<NodeObject>(path);
    const patch = nodeLabelPatch(node.metadata?.labels, desired);
    this.lastLabels = desired;
    if (!patch) return;
    await this.o.client.patch(path, { metadata: { labels: patch } }, 'merge');
    this.o.logger.info({ node: this.o.nodeName, labels: patch }, 'node labels updated');
  }
}
