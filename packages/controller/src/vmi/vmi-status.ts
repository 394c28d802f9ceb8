import type { Pod } from '@qvirt/kube';
import {
  ConditionReasons,
  ConditionTypes,
  hasVfioDevices,
  isFinalPhase,
  type Condition,
  type PhaseTransitionTimestamp,
  type VirtualMachineInstance,
  type VirtualMachineInstanceStatus,
  type VmiPhase,
} from '@qvirt/api';

/** Order of the phases the controller may move a VMI through (it only moves forward). */
const RANK: Record<VmiPhase, number> = { Pending: 0, Unknown: 0, Scheduling: 1, Scheduled: 2, Running: 3, Succeeded: 4, Failed: 4 };

/** What the controller observed about the launcher pod. */
export type PodObservation = { kind: 'none' } | { kind: 'pod'; pod: Pod } | { kind: 'renderFailed'; reason: string; message: string };

export interface StatusInputs {
  vmi: VirtualMachineInstance;
  observation: PodObservation;
  now: Date;
}

/** Phase + reason the pod implies, before the forward-only rule. */
export function phaseFromPod(observation: PodObservation, current: VmiPhase): { phase: VmiPhase; reason?: string; message?: string } {
  switch (observation.kind) {
    case 'renderFailed':
      return { phase: current };
    case 'none':
      // A pod existed (phase past Pending) and is gone: the VMI cannot run any more.
      if (current !== 'Pending' && current !== 'Unknown') {
        return { phase: 'Failed', reason: 'PodDeleted', message: 'virt-launcher pod was deleted before the VMI finished' };
      }
      return { phase: current };
    case 'pod': {
      const pod = observation.pod;
      const podPhase = pod.status?.phase;
      if (podPhase === 'Failed') {
        return { phase: 'Failed', reason: 'PodFailed', message: podFailureMessage(pod) };
      }
      if (podPhase === 'Succeeded') {
        // Once Running, virt-handler reports how the domain ended; before that, the launcher quit early.
        if (RANK[current] >= RANK.Running) return { phase: current };
        return { phase: 'Failed', reason: 'PodCompleted', message: 'virt-launcher pod completed before the VMI started' };
      }
      if (pod.metadata?.deletionTimestamp) {
        return { phase: 'Failed', reason: 'PodTerminating', message: 'virt-launcher pod is being deleted' };
      }
      if (pod.spec?.nodeName && podPhase === 'Running') return { phase: 'Scheduled' };
      return { phase: 'Scheduling' };
    }
  }
}

function podFailureMessage(pod: Pod): string {
  const s = pod.status;
  const term = s?.containerStatuses?.find((c) => c.state?.terminated)?.state?.terminated;
  const parts = [
    s?.reason,
    s?.message,
    term ? `container exited ${term.exitCode}${term.reason ? ` (${term.reason})` : ''}${term.message ? `: ${term.message}` : ''}` : undefined,
  ];
  const text = parts.filter((p) => p).join(': ');
  return text ? `virt-launcher pod failed: ${text}` : 'virt-launcher pod failed';
}

/**
 * The status the controller wants for the VMI, or undefined when the current one
 * is right. Forward-only: never moves a phase back (virt-handler owns Running,
 * Succeeded, Failed after Running), Failed only for a VMI that is not final.
 */
export function desiredVmiStatus({ vmi, observation, now }: StatusInputs): VirtualMachineInstanceStatus | undefined {
  const current = vmi.status ?? {};
  const currentPhase: VmiPhase = current.phase ?? 'Pending';
  const next: VirtualMachineInstanceStatus = { ...current, phase: currentPhase };
  if (!isFinalPhase(currentPhase)) {
    const implied = phaseFromPod(observation, currentPhase);
    const forward = implied.phase === 'Failed' || RANK[implied.phase] > RANK[currentPhase];
    if (forward && implied.phase !== currentPhase) {
      next.phase = implied.phase;
      next.phaseTransitionTimestamps = [
        ...(current.phaseTransitionTimestamps ?? []),
        { phase: implied.phase, phaseTransitionTimestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z') } satisfies PhaseTransitionTimestamp,
      ];
      if (implied.reason) next.reason = implied.reason;
      if (implied.message) next.message = implied.message;
    }
    if (observation.kind === 'pod' && observation.pod.spec?.nodeName && RANK[next.phase!] >= RANK.Scheduled && next.phase !== 'Failed') {
      next.nodeName = observation.pod.spec.nodeName;
    }
  }
  next.conditions = desiredConditions(vmi, observation, current.conditions ?? [], now);
  if (!current.phaseTransitionTimestamps?.some((t) => t.phase === 'Pending') && currentPhase === 'Pending') {
    // Record when the controller first saw the VMI, so the transition metrics have a start.
    next.phaseTransitionTimestamps = [
      { phase: 'Pending', phaseTransitionTimestamp: vmi.metadata.creationTimestamp ?? now.toISOString() },
      ...(next.phaseTransitionTimestamps ?? []),
    ];
  }
  return statusEqual(current, next) ? undefined : next;
}

function desiredConditions(vmi: VirtualMachineInstance, observation: PodObservation, current: Condition[], now: Date): Condition[] {
  let conds = [...current];
  if (hasVfioDevices(vmi)) {
    conds = setCondition(
      conds,
      {
        type: ConditionTypes.liveMigratable,
        status: 'False',
        reason: ConditionReasons.hostDeviceNotLiveMigratable,
        message: 'VMI uses a PCI host device (QAT VF or hostDevices)',
      },
      now,
    );
  }
  if (observation.kind === 'renderFailed') {
    conds = setCondition(conds, { type: ConditionTypes.synchronized, status: 'False', reason: observation.reason, message: observation.message }, now);
  } else if (observation.kind === 'pod') {
    conds = conds.filter((c) => !(c.type === ConditionTypes.synchronized && c.status === 'False' && c.reason === ConditionReasons.failedCreate));
    // KubeVirt copies only a False PodScheduled (with the scheduler's reason and message) and drops it once scheduled.
    const ps = observation.pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (ps && ps.status === 'False') {
      conds = setCondition(conds, { type: ConditionTypes.podScheduled, status: 'False', reason: ps.reason ?? 'Unschedulable', message: ps.message ?? '' }, now);
    } else {
      conds = conds.filter((c) => c.type !== ConditionTypes.podScheduled);
    }
  }
  return conds;
}

/** Replaces a condition of the same type; keeps lastTransitionTime while status stays the same. */
export function setCondition(conds: Condition[], want: Omit<Condition, 'lastTransitionTime' | 'lastProbeTime'>, now: Date): Condition[] {
  const old = conds.find((c) => c.type === want.type);
  if (old && old.status === want.status && old.reason === want.reason && old.message === want.message) return conds;
  const stamp = old && old.status === want.status ? (old.lastTransitionTime ?? null) : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const cond: Condition = { ...want, lastProbeTime: null, lastTransitionTime: stamp };
  return old ? conds.map((c) => (c.type === want.type ? cond : c)) : [...conds, cond];
}

function statusEqual(a: VirtualMachineInstanceStatus, b: VirtualMachineInstanceStatus): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(s: VirtualMachineInstanceStatus): unknown {
  return {
    phase: s.phase ?? 'Pending',
    reason: s.reason,
    message: s.message,
    nodeName: s.nodeName,
    conditions: s.conditions ?? [],
    phaseTransitionTimestamps: s.phaseTransitionTimestamps ?? [],
  };
}

/** The fields of a desired status that go into the merge patch (whole arrays: merge patch replaces lists). */
export function statusPatch(want: VirtualMachineInstanceStatus): Record<string, unknown> {
  const patch: Record<string, unknown> = {
    phase: want.phase,
    conditions: want.conditions ?? [],
    phaseTransitionTimestamps: want.phaseTransitionTimestamps ?? [],
  };
  if (want.nodeName !== undefined) patch.nodeName = want.nodeName;
  if (want.reason !== undefined) patch.reason = want.reason;
  if (want.message !== undefined) patch.message = want.message;
  return patch;
}
