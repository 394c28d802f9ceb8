import type { Pod } from '@qvirt/kube';
import { LabelValues, Labels, type VirtualMachine, type VirtualMachineInstance } from '@qvirt/api';
import { EventRecorder, ResourcePaths, createInformer, keyOf, parseKey, type KubeClient, type KubeConfigLike, type ResilientInformer } from '@qvirt/kube';
import type { Logger } from '@qvirt/log';
import { WorkQueue, runWorkers } from '@qvirt/kube/controller';
import { ClusterConfigSource } from '@qvirt/kube/cluster-config';
import { Expectations } from './expectations.js';
import type { ControllerMetrics } from './metrics.js';
import { PodIndex } from './pod-index.js';
import { VmReconciler } from './vm/vm.reconciler.js';
import type { LauncherPodInputs } from '@qvirt/controller';
import { VmiReconciler } from './vmi/vmi.reconciler.js';

export interface ControllerManagerOptions {
  kubeConfig: KubeConfigLike;
  client: KubeClient;
  logger: Logger;
  metrics: ControllerMetrics;
  launcher: Omit<LauncherPodInputs, 'clusterConfig'>;
  vmiWorkers: number;
  vmWorkers: number;
  /** reportingInstance of events (pod name). */
  instance: string;
}

type Owned = { metadata?: { namespace?: string; ownerReferences?: { kind: string; name: string; controller?: boolean }[] } };

function ownerKey(obj: Owned, kind: string): string | undefined {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller && r.kind === kind);
  return ref ? `${obj.metadata?.namespace}/${ref.name}` : undefined;
}

/**
 * Informers (always running, so a standby replica has warm caches) and the VMI
 * and VM controllers (workers run only while leading).
 */
export class ControllerManager {
  readonly vmis: ResilientInformer<VirtualMachineInstance>;
  readonly vms: ResilientInformer<VirtualMachine>;
  readonly pods: ResilientInformer<Pod>;
  readonly config: ClusterConfigSource;
  private readonly podIndex = new PodIndex();
  private readonly vmiExpectations = new Expectations();
  private readonly vmExpectations = new Expectations();
  private vmiQueue: WorkQueue<string> | undefined;
  private vmQueue: WorkQueue<string> | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly o: ControllerManagerOptions) {
    const common = { kubeConfig: o.kubeConfig, client: o.client, logger: o.logger };
    this.vmis = createInformer<VirtualMachineInstance>({ ...common, apiPath: ResourcePaths.vmis() });
    this.vms = createInformer<VirtualMachine>({ ...common, apiPath: ResourcePaths.vms() });
    this.pods = createInformer<Pod>({ ...common, apiPath: ResourcePaths.pods(), labelSelector: `${Labels.app}=${LabelValues.launcher}` });
    this.config = new ClusterConfigSource(common);

    this.vmis.on('add', (vmi) => this.onVmi(vmi, 'add'));
    this.vmis.on('update', (vmi, old) => {
      o.metrics.observeVmiUpdate(vmi, old);
      this.onVmi(vmi, 'update');
    });
    this.vmis.on('delete', (vmi) => this.onVmi(vmi, 'delete'));
    this.pods.on('add', (pod) => this.onPod(pod, 'add'));
    this.pods.on('update', (pod) => this.onPod(pod, 'update'));
    this.pods.on('delete', (pod) => this.onPod(pod, 'delete'));
    for (const ev of ['add', 'update', 'delete'] as const) this.vms.on(ev as 'add', (vm: VirtualMachine) => this.vmQueue?.add(keyOf(vm)));
    this.config.onChange(() => {
      // A config change can unblock VMIs whose pod could not be rendered.
      for (const vmi of this.vmis.list()) if ((vmi.status?.phase ?? 'Pending') === 'Pending') this.vmiQueue?.add(keyOf(vmi));
    });
  }

  async startInformers(): Promise<void> {
    await Promise.all([this.config.start(), this.pods.start(), this.vmis.start(), this.vms.start()]);
  }

  /** Runs the controllers until `signal` aborts (leadership lost or shutdown). */
  runControllers(signal: AbortSignal): Promise<void> {
    if (this.running) return this.running;
    const { metrics, logger } = this.o;
    const vmiQueue = new WorkQueue<string>({ onDepth: (d) => metrics.setQueueDepth('virtualmachineinstance', d) });
    const vmQueue = new WorkQueue<string>({ onDepth: (d) => metrics.setQueueDepth('virtualmachine', d) });
    this.vmiQueue = vmiQueue;
    this.vmQueue = vmQueue;
    // Report an empty queue from the start: the gauge is otherwise absent until a key ever waits.
    for (const q of ['virtualmachineinstance', 'virtualmachine']) metrics.setQueueDepth(q, 0);
    const events = (component: string) => new EventRecorder({ client: this.o.client, component, instance: this.o.instance, logger });
    const vmiReconciler = new VmiReconciler({
      client: this.o.client,
      vmis: this.vmis,
      pods: this.podIndex,
      clusterConfig: () => this.config.current(),
      launcher: this.o.launcher,
      expectations: this.vmiExpectations,
      events: events('virtualmachineinstance-controller'),
      logger,
    });
    const vmReconciler = new VmReconciler({
      client: this.o.client,
      vms: this.vms,
      vmis: this.vmis,
      expectations: this.vmExpectations,
      events: events('virtualmachine-controller'),
      logger,
    });
    for (const vmi of this.vmis.list()) vmiQueue.add(keyOf(vmi));
    for (const vm of this.vms.list()) vmQueue.add(keyOf(vm));
    signal.addEventListener(
      'abort',
      () => {
        vmiQueue.shutDown();
        vmQueue.shutDown();
      },
      { once: true },
    );
    logger.info({ vmis: vmiQueue.len(), vms: vmQueue.len() }, 'controllers started');
    this.running = Promise.all([
      runWorkers({
        queue: vmiQueue,
        workers: this.o.vmiWorkers,
        logger,
        reconcile: (k) => vmiReconciler.reconcile(parseKey(k), signal),
        onReconciled: (_k, ms, outcome) => metrics.observeReconcile('virtualmachineinstance', ms, outcome),
      }),
      runWorkers({
        queue: vmQueue,
        workers: this.o.vmWorkers,
        logger,
        reconcile: (k) => vmReconciler.reconcile(parseKey(k), signal),
        onReconciled: (_k, ms, outcome) => metrics.observeReconcile('virtualmachine', ms, outcome),
      }),
    ]).then(() => {
      this.running = undefined;
      this.vmiQueue = undefined;
      this.vmQueue = undefined;
    });
    return this.running;
  }

  async stopInformers(): Promise<void> {
    await Promise.all([this.config.stop(), this.pods.stop(), this.vmis.stop(), this.vms.stop()]);
  }

  private onVmi(vmi: VirtualMachineInstance, ev: 'add' | 'update' | 'delete'): void {
    this.vmiQueue?.add(keyOf(vmi));
    const vmKey = ownerKey(vmi, 'VirtualMachine');
    if (!vmKey) return;
    if (ev === 'add') this.vmExpectations.observeCreate(vmKey, vmi.metadata.name!);
    if (ev === 'delete') this.vmExpectations.observeDelete(vmKey, vmi.metadata.name!);
    this.vmQueue?.add(vmKey);
  }

  private onPod(pod: Pod, ev: 'add' | 'update' | 'delete'): void {
    if (ev === 'delete') this.podIndex.remove(pod);
    else this.podIndex.upsert(pod);
    const vmiKey = ownerKey(pod as Owned, 'VirtualMachineInstance');
    if (!vmiKey) return;
    if (ev === 'add') this.vmiExpectations.observeCreate(vmiKey, pod.metadata!.name!);
    if (ev === 'delete') this.vmiExpectations.observeDelete(vmiKey, pod.metadata!.name!);
    this.vmiQueue?.add(vmiKey);
  }
}
