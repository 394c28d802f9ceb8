// Wires the VMI informer to two work queues: VMI keys for the VmiReconciler, and VMI uids for
// the RunDirReconciler. The controller does not label VMIs with kubevirt.io/nodeName
// (apps/virt-controller), and CRDs support no field selector on status.nodeName, so the
// informer lists every VMI and filters here.
import type { VirtualMachineInstance } from '@qvirt/api';
import { ResourcePaths, createInformer, keyOf, parseKey, type KubeClient, type KubeConfigLike, type ResilientInformer } from '@qvirt/kube';
import { WorkQueue, runWorkers } from '@qvirt/kube/controller';
import { RunDirReconciler } from './run-dir.reconciler.js';
import { fsRunDirs, type RunDirs } from './run-dirs.js';
import { VmiReconciler, type VmiReconcilerOptions } from './vmi.reconciler.js';

export interface VmiControllerOptions extends Omit<VmiReconcilerOptions, 'vmis' | 'enqueue' | 'exitRecord' | 'onGone'> {
  kubeConfig: KubeConfigLike;
  client: KubeClient;
  workers: number;
  /** Probes and removes `<run-dir>/<uid>/`. Default: the filesystem under runDir. */
  runDirs?: RunDirs;
  onReconciled?: (durationMs: number, outcome: 'success' | 'requeue' | 'error') => void;
}

export class VmiController {
  readonly informer: ResilientInformer<VirtualMachineInstance>;
  readonly queue = new WorkQueue<string>();
  /** VMI uids whose run directory may have to go. */
  readonly runDirQueue = new WorkQueue<string>();
  readonly reconciler: VmiReconciler;
  readonly runDirReconciler: RunDirReconciler;
  private running: Promise<unknown> | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly o: VmiControllerOptions) {
    this.informer = createInformer<VirtualMachineInstance>({ kubeConfig: o.kubeConfig, client: o.client, apiPath: ResourcePaths.vmis(), logger: o.logger });
    const runDirs = o.runDirs ?? fsRunDirs(o.runDir);
    this.reconciler = new VmiReconciler({
      ...o,
      vmis: this.informer,
      enqueue: (k) => this.queue.add(k),
      exitRecord: (uid) => runDirs.exitRecord(uid),
      onGone: (uid) => this.runDirQueue.add(uid),
    });
    this.runDirReconciler = new RunDirReconciler({ vmis: this.informer, runDirs, logger: o.logger });
    const onObj = (vmi: VirtualMachineInstance, old?: VirtualMachineInstance) => {
      // Ours now, or ours before (moved away or deleted): either way the key is looked at.
      if (vmi.status?.nodeName === o.nodeName || old?.status?.nodeName === o.nodeName) this.queue.add(keyOf(vmi));
    };
    this.informer
      .on('add', (v) => onObj(v))
      .on('update', (v, old) => onObj(v, old))
      .on('delete', (v) => {
        this.queue.add(keyOf(v));
        if (v.metadata.uid) this.runDirQueue.add(v.metadata.uid);
      });
  }

  /** Lists (first sync), queues this node's VMIs and every uid in the run dir, and starts the workers. */
  async start(): Promise<void> {
    await this.informer.start();
    for (const vmi of this.informer.list()) if (vmi.status?.nodeName === this.o.nodeName) this.queue.add(keyOf(vmi));
    // VMIs deleted while the handler was down: no delete event will name their directories.
    const uids = await this.runDirReconciler.list();
    if (uids.length > 0) this.o.logger.info({ uids }, 'run directories to check at start-up');
    for (const uid of uids) this.runDirQueue.add(uid);
    const onReconciled = this.o.onReconciled;
    this.running = Promise.all([
      runWorkers({
        queue: this.queue,
        workers: this.o.workers,
        reconcile: (key) => this.reconciler.reconcile(parseKey(key), this.stopping.signal),
        logger: this.o.logger,
        ...(onReconciled ? { onReconciled: (_k: string, ms: number, outcome: 'success' | 'requeue' | 'error') => onReconciled(ms, outcome) } : {}),
      }),
      runWorkers({ queue: this.runDirQueue, workers: 1, reconcile: (uid) => this.runDirReconciler.reconcile(uid), logger: this.o.logger }),
    ]);
  }

  /** Stops the workers and the informer, then drops every launcher session (VMs keep running). */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.queue.shutDown();
    this.runDirQueue.shutDown();
    await this.running;
    await this.informer.stop();
    await this.reconciler.closeAll();
  }
}
