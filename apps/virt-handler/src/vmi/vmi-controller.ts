// Wires the VMI informer to a per-VMI work queue and the reconciler. The controller does not
// label VMIs with kubevirt.io/nodeName (apps/virt-controller), and CRDs support no field
// selector on status.nodeName, so the informer lists every VMI and filters here.
import type { VirtualMachineInstance } from '@qvirt/api';
import { WorkQueue, createInformer, keyOf, runWorkers, type KubeClient, type KubeConfigLike, type ResilientInformer } from '@qvirt/kube';
import { VmiReconciler, type VmiReconcilerOptions } from './vmi.reconciler.js';

export const VMI_API_PATH = '/apis/kubevirt.io/v1/virtualmachineinstances';

export interface VmiControllerOptions extends Omit<VmiReconcilerOptions, 'vmis' | 'enqueue'> {
  kubeConfig: KubeConfigLike;
  client: KubeClient;
  workers: number;
  onReconciled?: (durationMs: number, outcome: 'success' | 'requeue' | 'error') => void;
}

export class VmiController {
  readonly informer: ResilientInformer<VirtualMachineInstance>;
  readonly queue = new WorkQueue<string>();
  readonly reconciler: VmiReconciler;
  private running: Promise<void> | undefined;

  constructor(private readonly o: VmiControllerOptions) {
    this.informer = createInformer<VirtualMachineInstance>({ kubeConfig: o.kubeConfig, client: o.client, apiPath: VMI_API_PATH, logger: o.logger });
    this.reconciler = new VmiReconciler({ ...o, vmis: this.informer, enqueue: (k) => this.queue.add(k) });
    const onObj = (vmi: VirtualMachineInstance, old?: VirtualMachineInstance) => {
      // Ours now, or ours before (moved away or deleted): either way the key is looked at.
      if (vmi.status?.nodeName === o.nodeName || old?.status?.nodeName === o.nodeName) this.queue.add(keyOf(vmi));
    };
    this.informer.on('add', (v) => onObj(v)).on('update', (v, old) => onObj(v, old)).on('delete', (v) => this.queue.add(keyOf(v)));
  }

  /** Lists (first sync), queues this node's VMIs and starts the workers. */
  async start(): Promise<void> {
    await this.informer.start();
    for (const vmi of this.informer.list()) if (vmi.status?.nodeName === this.o.nodeName) this.queue.add(keyOf(vmi));
    for (const key of await this.reconciler.orphanRunDirKeys()) this.queue.add(key);
    this.running = runWorkers({
      queue: this.queue,
      workers: this.o.workers,
      reconcile: (key) => this.reconciler.reconcile(key),
      logger: this.o.logger,
      ...(this.o.onReconciled ? { onReconciled: (_k: string, ms: number, outcome: 'success' | 'requeue' | 'error') => this.o.onReconciled!(ms, outcome) } : {}),
    });
  }

  /** Stops the workers and the informer, then drops every launcher session (VMs keep running). */
  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.running;
    await this.informer.stop();
    await this.reconciler.closeAll();
  }
}
