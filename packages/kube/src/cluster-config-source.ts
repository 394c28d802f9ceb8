import { ClusterConfigError, KubeVirtConfig, emptyClusterConfig, type ClusterConfig, type KubeVirt } from '@qvirt/api';
import { clusterConfigFrom } from '@qvirt/api/cluster-config';
import { createInformer } from './informer.js';
import { ResourcePaths } from './resource-paths.js';
import type { KubeClient } from './kube-client.js';
import type { KubeConfigLike } from './kube-config.js';
import { errFields, type Logger } from '@qvirt/log';

/** The slice of ResilientInformer this source needs (tests hand in their own). */
export interface ConfigInformer<T> {
  start(): Promise<void>;
  stop(): Promise<void> | void;
  hasSynced(): boolean;
  list(): T[];
  on(event: 'add' | 'update' | 'delete', handler: (obj: T) => void): unknown;
}

export interface ConfigMapLike {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

/** Watch the cluster: informers on ConfigMap <namespace>/kubevirt-config and the KubeVirt CRs. */
export interface ClusterConfigWatch {
  kubeConfig: KubeConfigLike;
  /** Share a connection pool with the caller's other informers and writers. */
  client?: KubeClient;
  /** Namespace of kubevirt-config and the KubeVirt CR. Default `kubevirt`. */
  namespace?: string;
}

/** Or bring the two informers (tests, other wiring). */
export interface ClusterConfigInformers {
  configMaps: ConfigInformer<ConfigMapLike>;
  kubevirts: ConfigInformer<KubeVirt>;
}

export type ClusterConfigSourceOptions = { logger: Logger } & (ClusterConfigWatch | ClusterConfigInformers);

/**
 * The cluster configuration in force: ConfigMap kubevirt/kubevirt-config and the KubeVirt CR(s)
 * in that namespace, watched by informers and merged with clusterConfigFrom, so readers get a
 * plain value. Until both informers have listed, current() is the empty (default) config and
 * hasSynced() is false; callers that must not judge with it (virt-api) check hasSynced().
 *
 * Malformed configuration policy: a document clusterConfigFrom rejects (a ClusterConfigError,
 * e.g. unparsable permittedHostDevices) keeps the last good configuration in force and logs the
 * error; lastError() reports it until a later edit parses. A bad edit must not take host
 * devices away from running workloads or crash the informers.
 */
export class ClusterConfigSource {
  private readonly configMaps: ConfigInformer<ConfigMapLike>;
  private readonly kubevirts: ConfigInformer<KubeVirt>;
  private readonly logger: Logger;
  private config: ClusterConfig = emptyClusterConfig();
  private error: Error | undefined;
  private readonly listeners: ((config: ClusterConfig) => void)[] = [];

  constructor(opts: ClusterConfigSourceOptions) {
    this.logger = opts.logger;
    if ('configMaps' in opts) {
      this.configMaps = opts.configMaps;
      this.kubevirts = opts.kubevirts;
    } else {
      const ns = opts.namespace ?? KubeVirtConfig.namespace;
      const informer = (apiPath: string, fieldSelector?: string) => ({
        kubeConfig: opts.kubeConfig,
        client: opts.client,
        apiPath,
        logger: opts.logger,
        ...(fieldSelector ? { fieldSelector } : {}),
      });
      // The field selector lets RBAC restrict list/watch to this one ConfigMap by resourceNames.
      this.configMaps = createInformer<ConfigMapLike>(informer(ResourcePaths.configMaps(ns), `metadata.name=${KubeVirtConfig.configMapName}`));
      this.kubevirts = createInformer<KubeVirt>(informer(ResourcePaths.kubevirts(ns)));
    }
    const refresh = (): void => this.refresh();
    for (const informer of [this.configMaps, this.kubevirts] as ConfigInformer<unknown>[]) {
      informer.on('add', refresh);
      informer.on('update', refresh);
      informer.on('delete', refresh);
    }
  }

  /** Resolves once both informers have listed (they retry on their own until then). */
  async start(): Promise<void> {
    await Promise.all([this.configMaps.start(), this.kubevirts.start()]);
    this.refresh();
  }

  async stop(): Promise<void> {
    await Promise.all([this.configMaps.stop(), this.kubevirts.stop()]);
  }

  hasSynced(): boolean {
    return this.configMaps.hasSynced() && this.kubevirts.hasSynced();
  }

  current(): ClusterConfig {
    return this.config;
  }

  /** Why the latest edit was rejected (the last good config is still in force); undefined once one parses. */
  lastError(): Error | undefined {
    return this.error;
  }

  /** Called with the new configuration whenever the merged value changes. */
  onChange(listener: (config: ClusterConfig) => void): void {
    this.listeners.push(listener);
  }

  private refresh(): void {
    const configMap = this.configMaps.list().find((cm) => cm.metadata?.name === KubeVirtConfig.configMapName);
    // KubeVirt runs with exactly one CR; with several, take a stable choice (by name).
    const kubevirt = [...this.kubevirts.list()].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
    let next: ClusterConfig;
    try {
      next = clusterConfigFrom({ configMapData: configMap?.data, kubevirt });
    } catch (err) {
      this.error = err instanceof Error ? err : new Error(String(err));
      // ClusterConfigError is a bad edit; anything else would be our bug. Either way: keep the last good config.
      const what = err instanceof ClusterConfigError ? 'cluster configuration is invalid' : 'cluster configuration could not be merged';
      this.logger.error(errFields(err), `${what}; keeping the last good one`);
      return;
    }
    this.error = undefined;
    if (fingerprint(next) === fingerprint(this.config)) return;
    this.config = next;
    this.logger.info({ featureGates: [...next.featureGates], machineType: next.machineType }, 'cluster configuration changed');
    for (const listener of this.listeners) listener(next);
  }
}

function fingerprint(c: ClusterConfig): string {
  return JSON.stringify([[...c.featureGates].sort(), c.machineType, c.permittedHostDevices ?? null]);
}
