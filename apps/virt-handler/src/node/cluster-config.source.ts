// Same as virt-controller's ClusterConfigSource (apps cannot import each other); a candidate
// for @qvirt/kube or a shared package.
import { KubeVirtConfig, clusterConfigFrom, emptyClusterConfig, type ClusterConfig, type KubeVirt } from '@qvirt/api';
import { createInformer, errFields, type KubeClient, type KubeConfigLike, type Logger, type ResilientInformer } from '@qvirt/kube';

interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

/**
 * The cluster configuration in force: ConfigMap kubevirt/kubevirt-config and the
 * KubeVirt CR(s) in that namespace, watched by informers and merged with
 * clusterConfigFrom. A broken document keeps the last good configuration.
 */
export class ClusterConfigSource {
  private readonly configMaps: ResilientInformer<ConfigMap>;
  private readonly kubevirts: ResilientInformer<KubeVirt>;
  private current: ClusterConfig = emptyClusterConfig();
  private readonly listeners: ((c: ClusterConfig) => void)[] = [];

  constructor(private readonly o: { kubeConfig: KubeConfigLike; client: KubeClient; logger: Logger; namespace?: string }) {
    const ns = o.namespace ?? KubeVirtConfig.namespace;
    // The field selector lets RBAC restrict list/watch to this one ConfigMap by resourceNames.
    this.configMaps = createInformer<ConfigMap>({
      kubeConfig: o.kubeConfig,
      client: o.client,
      apiPath: `/api/v1/namespaces/${ns}/configmaps`,
      fieldSelector: `metadata.name=${KubeVirtConfig.configMapName}`,
      logger: o.logger,
    });
    this.kubevirts = createInformer<KubeVirt>({ kubeConfig: o.kubeConfig, client: o.client, apiPath: `/apis/kubevirt.io/v1/namespaces/${ns}/kubevirts`, logger: o.logger });
    const recompute = () => this.recompute();
    this.configMaps.on('add', recompute).on('update', recompute).on('delete', recompute);
    this.kubevirts.on('add', recompute).on('update', recompute).on('delete', recompute);
  }

  async start(): Promise<void> {
    await Promise.all([this.configMaps.start(), this.kubevirts.start()]);
    this.recompute();
  }

  async stop(): Promise<void> {
    await Promise.all([this.configMaps.stop(), this.kubevirts.stop()]);
  }

  get(): ClusterConfig {
    return this.current;
  }

  onChange(fn: (c: ClusterConfig) => void): void {
    this.listeners.push(fn);
  }

  private recompute(): void {
    const cm = this.configMaps.list()[0];
    // Several KubeVirt CRs is an error in KubeVirt; take the oldest-named one deterministically.
    const kv = [...this.kubevirts.list()].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
    try {
      this.current = clusterConfigFrom({ configMapData: cm?.data, kubevirt: kv });
    } catch (err) {
      this.o.logger.error(errFields(err), 'cluster configuration is invalid; keeping the last good one');
      return;
    }
    for (const l of this.listeners) l(this.current);
  }
}
