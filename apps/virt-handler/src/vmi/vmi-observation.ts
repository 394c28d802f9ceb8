// What the handler knows about one VMI's launcher and domain at one moment. Built by the
// side-effect layer (vmi.reconciler.ts) from live calls plus what earlier events told it;
// the pure deciders (domain-action.ts, vmi-status.ts) read only this.
import type { HostDeviceStatus, VirtualMachineInstance, VmiPhase } from '@qvirt/api';
import type { AcpiRequests } from '@qvirt/domain';

export type DomainObservation = { kind: 'absent' } | { kind: 'present'; state: string; reason: string };

export type LauncherObservation =
  /** Never connected in this handler process: socket missing, nothing answering, or not ready yet. */
  | { kind: 'unreachable'; cause: string; socketExists: boolean; failures: number }
  /** It was connected (or its libvirtd answered) and is gone now: the launcher exited. */
  | { kind: 'gone'; cause: string }
  | { kind: 'connected'; domain: DomainObservation };

export interface Failure {
  /** CamelCase, e.g. `StartFailed`, `AllocationFailed`, `LauncherExited`, `GuestCrashed`. */
  reason: string;
  message: string;
}

export interface VmiObservation {
  launcher: LauncherObservation;
  /** The last terminal lifecycle event of the VMI's domain seen on the connection (kept after the launcher exits). */
  ended?: { event: string; detail: string };
  /** The VFs the VMI got, once the allocation is known. */
  devices?: HostDeviceStatus[];
  /** A start attempt that failed for good (allocation, rendering, libvirt). */
  failure?: Failure;
  /** When the first and the latest ACPI shutdown were sent (epoch ms), during deletion. */
  shutdown?: AcpiRequests;
}

/** libvirt states in which QEMU exists: the VM "runs" for the user. */
const ACTIVE_STATES: ReadonlySet<string> = new Set(['running', 'blocked', 'paused', 'shutdown', 'pmsuspended']);

export function isActive(d: DomainObservation): boolean {
  return d.kind === 'present' && ACTIVE_STATES.has(d.state);
}

/** Phases in which the handler owns the VMI (the controller moved it to its node). */
export function isHandledPhase(phase: VmiPhase | undefined): boolean {
  return phase === 'Scheduled' || phase === 'Running';
}

/** KubeVirt's domain name: `<namespace>_<name>`. */
export function domainNameOf(vmi: VirtualMachineInstance): string {
  return `${vmi.metadata.namespace ?? 'default'}_${vmi.metadata.name ?? ''}`;
}

export function vmiRef(vmi: VirtualMachineInstance): string {
  return `${vmi.metadata.namespace ?? 'default'}/${vmi.metadata.name ?? ''}`;
}
