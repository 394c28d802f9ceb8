// What to do to a VMI's domain now: a pure function of the VMI and what was observed.
// Level-based: rerunning it with the same inputs gives the same answer, so duplicate events,
// restarts and conflicts are harmless.
import { gracePeriodSeconds, isFinalPhase, type VirtualMachineInstance } from '@qvirt/api';
import { DEFAULT_ACPI_RESEND_MS, planShutdown } from '@qvirt/domain';
import { isActive, isHandledPhase, type VmiObservation } from './vmi-observation.js';

export type DomainAction =
  | { kind: 'none' }
  /** Nothing to do yet; look again after this long. */
  | { kind: 'wait'; afterMs: number; why: string }
  /** Allocation -> render -> define -> create. */
  | { kind: 'start' }
  | { kind: 'acpiShutdown' }
  | { kind: 'destroy' }
  /** The VMI is final: drop the connection to its launcher. */
  | { kind: 'release' };

export interface DomainActionOptions {
  /** ACPI presses can be lost early in boot: re-send this often during the grace period. */
  acpiResendMs: number;
}

export const DEFAULT_DOMAIN_ACTION_OPTIONS: DomainActionOptions = { acpiResendMs: DEFAULT_ACPI_RESEND_MS };

export function planDomainAction(
  vmi: VirtualMachineInstance,
  obs: VmiObservation,
  now: number,
  o: DomainActionOptions = DEFAULT_DOMAIN_ACTION_OPTIONS,
): DomainAction {
  const phase = vmi.status?.phase;
  if (isFinalPhase(phase)) return { kind: 'release' };
  if (!isHandledPhase(phase)) return { kind: 'none' };
  const l = obs.launcher;

  if (vmi.metadata.deletionTimestamp) {
    if (l.kind !== 'connected' || !isActive(l.domain)) return { kind: 'none' };
    const step = planShutdown({ ...(obs.shutdown ? { acpi: obs.shutdown } : {}) }, now, {
      graceMs: gracePeriodSeconds(vmi) * 1000,
      acpiResendMs: o.acpiResendMs,
    });
    return step.kind === 'wait' ? { ...step, why: 'guest shutting down' } : step;
  }

  if (obs.failure || obs.ended) return { kind: 'none' };
  if (l.kind === 'unreachable') {
    if (phase !== 'Scheduled') return { kind: 'none' };
    // The launcher pod is still starting: back off from 200 ms up to 5 s.
    return { kind: 'wait', afterMs: Math.min(5000, 200 * 2 ** Math.min(l.failures, 5)), why: `waiting for the launcher: ${l.cause}` };
  }
  if (l.kind !== 'connected' || phase !== 'Scheduled') return { kind: 'none' };
  // Never started: not defined yet, or defined and still off without having run (e.g. the
  // handler restarted between define and create). A domain that ran is never started again.
  const d = l.domain;
  if (d.kind === 'absent' || (d.state === 'shutoff' && d.reason === 'unknown')) return { kind: 'start' };
  return { kind: 'none' };
}
