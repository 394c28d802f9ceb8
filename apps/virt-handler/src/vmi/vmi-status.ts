// The status the handler wants for a VMI on its node: a pure function of the VMI and what was
// observed. The handler owns Running/Succeeded/Failed, Ready, deviceStatus; it never moves a
// final VMI and never touches VMIs before Scheduled (the controller's phases).
import {
  ConditionReasons,
  ConditionTypes,
  hasVfioDevices,
  isFinalPhase,
  type Condition,
  type HostDeviceStatus,
  type VirtualMachineInstance,
  type VirtualMachineInstanceStatus,
  type VmiPhase,
} from '@qvirt/api';
import { domainNameOf, isActive, isHandledPhase, vmiRef, type Failure, type VmiObservation } from './vmi-observation.js';

export interface PhaseVerdict {
  phase: VmiPhase;
  reason?: string;
  message?: string;
}

/** Same text as virt-controller's, so the two writers never flip the condition back and forth. */
export const NOT_MIGRATABLE_MESSAGE = 'VMI uses a PCI host device (QAT VF or hostDevices)';

const failed = (f: Failure): PhaseVerdict => ({ phase: 'Failed', reason: f.reason, message: f.message });

/** The phase the observation implies. */
export function observedPhase(vmi: VirtualMachineInstance, obs: VmiObservation): PhaseVerdict {
  const phase = vmi.status?.phase ?? 'Pending';
  const deleting = Boolean(vmi.metadata.deletionTimestamp);
  const domain = domainNameOf(vmi);
  const keep: PhaseVerdict = { phase };
  if (obs.failure) return failed(obs.failure);
  if (obs.ended) {
    const { event, detail } = obs.ended;
    if (event === 'stopped' && (detail === 'shutdown' || detail === 'destroyed')) return { phase: 'Succeeded' };
    if (deleting) return { phase: 'Succeeded' };
    return failed({ reason: 'GuestCrashed', message: `domain ${domain} ${event === 'crashed' ? 'crashed' : 'stopped'} (${detail})` });
  }
  const l = obs.launcher;
  switch (l.kind) {
    case 'gone':
      if (deleting) return { phase: 'Succeeded' };
      return failed({ reason: 'LauncherExited', message: `launcher for VMI ${vmiRef(vmi)} exited: ${l.cause}` });
    case 'unreachable':
      // After a handler restart: a running VMI whose launcher no longer answers has lost it.
      if (phase === 'Running' && (!l.socketExists || l.failures >= 3)) {
        if (deleting) return { phase: 'Succeeded' };
        return failed({ reason: 'LauncherExited', message: `launcher for VMI ${vmiRef(vmi)} exited: ${l.cause}` });
      }
      return keep;
    case 'connected': {
      const d = l.domain;
      if (isActive(d)) return { phase: 'Running' };
      if (d.kind === 'absent') {
        if (deleting) return { phase: 'Succeeded' };
        if (phase === 'Running') return failed({ reason: 'DomainLost', message: `domain ${domain} disappeared from the launcher's libvirtd` });
        return keep;
      }
      if (d.state === 'crashed') return failed({ reason: 'GuestCrashed', message: `domain ${domain} crashed (${d.reason})` });
      if (d.state === 'shutoff') {
        if (d.reason === 'shutdown' || d.reason === 'destroyed' || deleting) return { phase: 'Succeeded' };
        if (d.reason === 'crashed' || d.reason === 'failed') return failed({ reason: 'GuestCrashed', message: `domain ${domain} is off (${d.reason})` });
        if (phase === 'Running') return failed({ reason: 'DomainStopped', message: `domain ${domain} is off (${d.reason})` });
      }
      return keep;
    }
  }
}

/** The merge patch for `status`, or undefined when the VMI's status is already right. */
export function desiredStatusPatch(vmi: VirtualMachineInstance, obs: VmiObservation, now: Date): Record<string, unknown> | undefined {
  const cur: VirtualMachineInstanceStatus = vmi.status ?? {};
  if (isFinalPhase(cur.phase) || !isHandledPhase(cur.phase)) return undefined;
  const v = observedPhase(vmi, obs);
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const next: VirtualMachineInstanceStatus = { ...cur, phase: v.phase };
  if (v.phase !== cur.phase) {
    next.phaseTransitionTimestamps = [...(cur.phaseTransitionTimestamps ?? []), { phase: v.phase, phaseTransitionTimestamp: stamp }];
  }
  if (v.reason !== undefined) next.reason = v.reason;
  if (v.message !== undefined) next.message = v.message;
  next.conditions = desiredConditions(vmi, v, obs, cur.conditions ?? [], stamp);
  if (obs.devices) next.deviceStatus = { ...(cur.deviceStatus ?? {}), hostDeviceStatuses: obs.devices };
  if (same(cur, next)) return undefined;
  const patch: Record<string, unknown> = { phase: next.phase, conditions: next.conditions };
  if (next.phaseTransitionTimestamps) patch.phaseTransitionTimestamps = next.phaseTransitionTimestamps;
  if (next.reason !== undefined) patch.reason = next.reason;
  if (next.message !== undefined) patch.message = next.message;
  if (next.deviceStatus) patch.deviceStatus = next.deviceStatus;
  return patch;
}

function desiredConditions(vmi: VirtualMachineInstance, v: PhaseVerdict, obs: VmiObservation, current: Condition[], stamp: string): Condition[] {
  let conds = current;
  // Nothing to say before the VM runs (keeps waiting for the launcher write-free).
  if (v.phase === 'Scheduled') return conds;
  conds = hasVfioDevices(vmi)
    ? setCondition(
        conds,
        { type: ConditionTypes.liveMigratable, status: 'False', reason: ConditionReasons.hostDeviceNotLiveMigratable, message: NOT_MIGRATABLE_MESSAGE },
        stamp,
        true,
      )
    : setCondition(conds, { type: ConditionTypes.liveMigratable, status: 'True' }, stamp, true);
  if (v.phase === 'Running') conds = setCondition(conds, { type: ConditionTypes.ready, status: 'True' }, stamp);
  else if (isFinalPhase(v.phase)) {
    conds = setCondition(
      conds,
      { type: ConditionTypes.ready, status: 'False', reason: v.reason ?? 'GuestNotRunning', message: v.message ?? 'the guest is off' },
      stamp,
    );
  }
  if (obs.failure)
    conds = setCondition(conds, { type: ConditionTypes.synchronized, status: 'False', reason: obs.failure.reason, message: obs.failure.message }, stamp);
  return conds;
}

/**
 * Replaces a condition of the same type (keeping lastTransitionTime while its status stays).
 * `statusOnly`: an existing condition with the same status and reason is left alone, whoever wrote it.
 */
export function setCondition(
  conds: Condition[],
  want: Omit<Condition, 'lastTransitionTime' | 'lastProbeTime'>,
  stamp: string,
  statusOnly = false,
): Condition[] {
  const old = conds.find((c) => c.type === want.type);
  if (old && old.status === want.status && old.reason === want.reason && (statusOnly || old.message === want.message)) return conds;
  const cond: Condition = { ...want, lastProbeTime: null, lastTransitionTime: old && old.status === want.status ? (old.lastTransitionTime ?? stamp) : stamp };
  return old ? conds.map((c) => (c.type === want.type ? cond : c)) : [...conds, cond];
}

function same(a: VirtualMachineInstanceStatus, b: VirtualMachineInstanceStatus): boolean {
  const pick = (s: VirtualMachineInstanceStatus) => ({
    phase: s.phase,
    reason: s.reason,
    message: s.message,
    conditions: s.conditions ?? [],
    phaseTransitionTimestamps: s.phaseTransitionTimestamps ?? [],
    devices: s.deviceStatus?.hostDeviceStatuses ?? null,
  });
  return JSON.stringify(canonical(pick(a))) === JSON.stringify(canonical(pick(b)));
}

/**
 * Sorted keys, null/undefined dropped: the API server re-encodes objects with sorted keys and
 * prunes nulls of non-nullable fields, so a plain string compare would see a change forever.
 */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && x !== undefined) out[k] = canonical(x);
  }
  return out;
}

/** Device statuses for the VFs a VMI got: status.deviceStatus.hostDeviceStatuses[], phase Allocated (docs/install.md shows one). */
export function allocatedDevices(assignments: readonly { name: string; deviceName: string; address: string }[]): HostDeviceStatus[] {
  return assignments.map((a) => ({ name: a.name, deviceName: a.deviceName, pciAddress: a.address, phase: 'Allocated' }));
}
