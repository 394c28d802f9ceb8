import type { Pod, PodList } from '@qvirt/kube';
import { Finalizers, Labels, type ClusterConfig, type VirtualMachineInstance } from '@qvirt/api';
import { ResourcePaths, isAlreadyExists, isNotFound, objectKey, patchStatus, type KubeClient, type ObjectRef } from '@qvirt/kube';
import { errFields, type Logger } from '@qvirt/log';
import { OwnStatusWrites, type ReconcileResult } from '@qvirt/kube/controller';
import type { Expectations } from '../expectations.js';
import type { PodIndex } from '../pod-index.js';
import { desiredVmiStatus, planVmiSync, statusPatch, type LauncherPodInputs, type PodObservation } from '@qvirt/controller';

/** What the reconciler needs from an event recorder. */
export interface EventSink {
  event(
    obj: { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string } },
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): Promise<void>;
}

export interface VmiReconcilerOptions {
  client: KubeClient;
  vmis: { get(namespace: string | undefined, name: string): VirtualMachineInstance | undefined };
  pods: PodIndex;
  clusterConfig: () => ClusterConfig;
  launcher: Omit<LauncherPodInputs, 'clusterConfig'>;
  expectations: Expectations;
  events: EventSink;
  logger: Logger;
  now?: () => Date;
}

/**
 * Level-based VMI sync: reads the VMI and its launcher pods from the caches,
 * plans with pure functions (planVmiSync, desiredVmiStatus), then does the few
 * writes. Safe to rerun at any point.
 */
export class VmiReconciler {
  private readonly ownWrites = new OwnStatusWrites<VirtualMachineInstance>();

  constructor(private readonly o: VmiReconcilerOptions) {}

  /** One look at the VMI `ref`; a reconcile started after `signal` aborts (the controller stopping) does nothing. */
  async reconcile(ref: ObjectRef, signal?: AbortSignal): Promise<ReconcileResult | void> {
    const { namespace, name } = ref;
    const key = objectKey(namespace, name);
    if (signal?.aborted) return;
    const cached = this.o.vmis.get(namespace, name);
    if (!cached) {
      this.o.expectations.forget(key);
      this.ownWrites.forget(key);
      return;
    }
    let vmi = cached;
    const log = { vmi: name, namespace };
    const plan = planVmiSync({
      vmi,
      pods: this.o.pods.forVmi(vmi.metadata.uid),
      expectationsSatisfied: this.o.expectations.satisfied(key),
      inputs: { ...this.o.launcher, clusterConfig: this.o.clusterConfig() },
    });

    for (const pod of plan.deletePods) await this.deletePod(key, vmi, pod);

    if (plan.removeFinalizer) {
      await this.setFinalizers(
        vmi,
        (vmi.metadata.finalizers ?? []).filter((f) => f !== Finalizers.vmi),
      );
      this.o.expectations.forget(key);
      return;
    }
    if (vmi.metadata.deletionTimestamp) return;
    if (plan.addFinalizer) vmi = await this.setFinalizers(vmi, [...(vmi.metadata.finalizers ?? []), Finalizers.vmi]);

    let observation: PodObservation = plan.observation;
    if (plan.createPod) {
      observation = await this.createPod(key, vmi, plan.createPod);
    } else if (plan.observation.kind === 'renderFailed') {
      this.o.logger.warn({ ...log, reason: plan.observation.reason, message: plan.observation.message }, 'launcher pod not rendered');
      void this.o.events.event(vmi, 'Warning', 'FailedCreate', plan.observation.message);
    }
    if (!plan.writeStatus && !plan.createPod) return;
    await this.writeStatus(key, cached, vmi, observation);
  }

  /** Creates the launcher pod unless the API (not just the cache) already has one for this VMI. */
  private async createPod(key: string, vmi: VirtualMachineInstance, pod: Pod): Promise<PodObservation> {
    const namespace = vmi.metadata.namespace!;
    const existing = await this.o.client.get<PodList>(ResourcePaths.pods(namespace), { labelSelector: `${Labels.createdBy}=${vmi.metadata.uid}` });
    const live = existing.items.filter((p) => !p.metadata?.deletionTimestamp);
    if (live.length > 0) {
      this.o.logger.info(
        { vmi: vmi.metadata.name, namespace, pod: live[0]!.metadata?.name },
        'launcher pod exists in the API but not yet in the cache; not creating',
      );
      return { kind: 'pod', pod: live[0]! };
    }
    const podName = pod.metadata!.name!;
    this.o.expectations.expectCreate(key, podName);
    try {
      const created = await this.o.client.create<Pod>(ResourcePaths.pods(namespace), pod);
      this.o.logger.info({ vmi: vmi.metadata.name, namespace, pod: podName }, 'created launcher pod');
      void this.o.events.event(vmi, 'Normal', 'SuccessfulCreate', `Created virtual machine pod ${podName}`);
      return { kind: 'pod', pod: created };
    } catch (err) {
      if (isAlreadyExists(err)) {
        // Same deterministic name: an earlier attempt of ours got through.
        this.o.expectations.observeCreate(key, podName);
        return { kind: 'pod', pod: await this.o.client.get<Pod>(ResourcePaths.pods(namespace, podName)) };
      }
      this.o.expectations.observeCreate(key, podName);
      void this.o.events.event(vmi, 'Warning', 'FailedCreate', `Error creating pod: ${(err as Error).message}`);
      throw err;
    }
  }

  private async deletePod(key: string, vmi: VirtualMachineInstance, pod: Pod): Promise<void> {
    const podName = pod.metadata!.name!;
    this.o.expectations.expectDelete(key, podName);
    try {
      await this.o.client.delete(ResourcePaths.pods(pod.metadata!.namespace!, podName), { preconditions: { uid: pod.metadata!.uid! } });
      void this.o.events.event(vmi, 'Normal', 'SuccessfulDelete', `Deleted virtual machine pod ${podName}`);
    } catch (err) {
      this.o.expectations.observeDelete(key, podName);
      if (!isNotFound(err)) throw err;
    }
  }

  private async setFinalizers(vmi: VirtualMachineInstance, finalizers: string[]): Promise<VirtualMachineInstance> {
    // resourceVersion makes this a compare-and-swap: a concurrent finalizer change is not lost.
    return this.o.client.patch<VirtualMachineInstance>(ResourcePaths.vmis(vmi.metadata.namespace!, vmi.metadata.name), {
      metadata: { finalizers, resourceVersion: vmi.metadata.resourceVersion },
    });
  }

  /** `cached`: the informer's object this sync started from; `vmi`: the same or our finalizer write's result. */
  private async writeStatus(key: string, cached: VirtualMachineInstance, vmi: VirtualMachineInstance, observation: PodObservation): Promise<void> {
    const now = (this.o.now ?? (() => new Date()))();
    try {
      const written = await patchStatus<VirtualMachineInstance>({
        client: this.o.client,
        path: ResourcePaths.vmis(vmi.metadata.namespace!, vmi.metadata.name),
        current: vmi === cached ? this.ownWrites.freshest(key, vmi) : vmi,
        build: (current) => {
          const want = desiredVmiStatus({ vmi: current, observation, now });
          return want && statusPatch(want);
        },
      });
      this.ownWrites.record(key, cached, written);
    } catch (err) {
      if (isNotFound(err)) return; // deleted meanwhile
      this.o.logger.warn({ vmi: vmi.metadata.name, namespace: vmi.metadata.namespace, ...errFields(err) }, 'VMI status update failed');
      throw err;
    }
  }
}
