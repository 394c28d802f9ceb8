import { clusterConfigFrom, emptyClusterConfig, KubeVirtConfig, type ClusterConfig, type KubeVirt } from '@qvirt/api';
import type { Logger } from 'pino';

/** The slice of @qvirt/kube's ResilientInformer this source needs. */
export interface ObjectInformer<T> {
  start(): Promise<void>;
  stop(): void;
  hasSynced(): boolean;
  list(): T[];
  on(event: 'add' | 'update' | 'delete', handler: (obj: T) => void): void;
}

export interface ConfigMapLike {
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, string>;
}

export interface ClusterConfigSourceOptions {
  /** Watches ConfigMaps in namespace kubevirt (ideally only kubevirt-config). */
  configMaps: ObjectInformer<ConfigMapLike>;
  /** Watches KubeVirt CRs in namespace kubevirt. */
  kubevirts: ObjectInformer<KubeVirt>;
  logger: Logger;
}

/**
 * The merged cluster configuration (ConfigMap kubevirt/kubevirt-config + KubeVirt CR), recomputed
 * on every informer event so admission reads a plain value. A bad edit (e.g. unparsable
 * permittedHostDevices) keeps the last good configuration and is logged.
 */
export class ClusterConfigSource {
  private config: ClusterConfig = emptyClusterConfig();

  constructor(private readonly opts: ClusterConfigSourceOptions) {
    const refresh = (): void => this.refresh();
    for (const informer of [opts.configMaps, opts.kubevirts] as ObjectInformer<unknown>[]) {
      informer.on('add', refresh);
      informer.on('update', refresh);
      informer.on('delete', refresh);
    }
  }

  async start(): Promise<void> {
    await Promise.all([this.opts.configMaps.start(), this.opts.kubevirts.start()]);
    this.refresh();
  }

  stop(): void {
    this.opts.configMaps.stop();
    this.opts.kubevirts.stop();
  }

  hasSynced(): boolean {
    return this.opts.configMaps.hasSynced() && this.opts.kubevirts.hasSynced();
  }

  current(): ClusterConfig {
    return this.config;
  }

  private refresh(): void {
    const configMap = this.opts.configMaps.list().find((cm) => cm.metadata?.name === KubeVirtConfig.configMapName);
    // KubeVirt runs with exactly one CR; with several, take a stable choice (by name).
    const kubevirt = [...this.opts.kubevirts.list()].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
    try {
      const next = clusterConfigFrom({ configMapData: configMap?.data, kubevirt });
      const changed = describe(next) !== describe(this.config);
      this.config = next;
      if (changed) this.opts.logger.info({ featureGates: [...next.featureGates], machineType: next.machineType }, 'cluster configuration changed');
    } catch (err) {
      this.opts.logger.error(`keeping the previous cluster configuration: ${(err as Error).message}`);
    }
  }
}

function describe(c: ClusterConfig): string {
  return JSON.stringify([[...c.featureGates].sort(), c.machineType, c.permittedHostDevices ?? null]);
}
