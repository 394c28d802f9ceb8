import type { Pod } from '@qvirt/kube';
import { Finalizers, isFinalPhase, type VirtualMachineInstance } from '@qvirt/api';
import { renderLauncherPod, type LauncherPodInputs } from './launcher-pod.renderer.js';
import { LauncherPodRenderError } from './render-errors.js';
import type { PodObservation } from './vmi-status.js';

/** What one VMI sync should do, decided from cached state only (no I/O). */
export interface VmiSyncPlan {
  addFinalizer: boolean;
  removeFinalizer: boolean;
  /** Pods to delete (VMI going away or final, or extra pods that must not exist). */
  deletePods: Pod[];
  /** Rendered pod to create (after the API double-check). */
  createPod?: Pod;
  /** What the status is computed from when nothing is created. */
  observation: PodObservation;
  /** false: skip status writes (the VMI is being deleted). */
  writeStatus: boolean;
}

function created(p: Pod): number {
  return Date.parse(p.metadata?.creationTimestamp ?? '') || 0;
}

/**
 * @param pods launcher pods of this VMI (label kubevirt.io/created-by=<uid>) from the cache
 * @param expectationsSatisfied false while a create/delete of ours is not yet in the cache
 */
export function planVmiSync(opts: {
  vmi: VirtualMachineInstance;
  pods: readonly Pod[];
  expectationsSatisfied: boolean;
  inputs: LauncherPodInputs;
}): VmiSyncPlan {
  const { vmi, pods } = opts;
  const finalizers = vmi.metadata.finalizers ?? [];
  const hasFinalizer = finalizers.includes(Finalizers.vmi);

  if (vmi.metadata.deletionTimestamp) {
    return {
      addFinalizer: false,
      removeFinalizer: hasFinalizer && pods.length === 0 && opts.expectationsSatisfied,
      deletePods: pods.filter((p) => !p.metadata?.deletionTimestamp),
      observation: { kind: 'none' },
      writeStatus: false,
    };
  }

  // Oldest first: if a bug or a race ever made two, the first one is the VMI's and the rest go.
  const sorted = [...pods].sort((a, b) => created(a) - created(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const [pod, ...extra] = sorted;
  const plan: VmiSyncPlan = {
    addFinalizer: !hasFinalizer && !isFinalPhase(vmi.status?.phase),
    removeFinalizer: false,
    deletePods: extra.filter((p) => !p.metadata?.deletionTimestamp),
    observation: pod ? { kind: 'pod', pod } : { kind: 'none' },
    writeStatus: true,
  };
  const phase = vmi.status?.phase ?? 'Pending';
  if (isFinalPhase(phase) && opts.expectationsSatisfied) {
    // As KubeVirt: a final VMI's launcher must not keep running and holding its devices (a QAT VF).
    plan.deletePods = pods.filter((p) => !p.metadata?.deletionTimestamp);
  }
  if (!pod && phase === 'Pending' && opts.expectationsSatisfied) {
    try {
      plan.createPod = renderLauncherPod(vmi, opts.inputs);
    } catch (err) {
      if (!(err instanceof LauncherPodRenderError)) throw err;
      plan.observation = { kind: 'renderFailed', reason: err.reason, message: err.message };
    }
  }
  if (!opts.expectationsSatisfied && !pod) {
    // Our create is in flight to the cache: decide nothing about a missing pod yet.
    plan.writeStatus = false;
  }
  return plan;
}
