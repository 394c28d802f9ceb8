// How a domain is stopped, the same in virt-handler (VMI deleted) and virt-launcher (SIGTERM):
// ACPI first, re-sent because a press early in boot can be lost, then destroy once the grace
// period is over. Pure: the callers observe, this decides, they act.

/** When the first and the latest ACPI shutdown were sent (ms on the caller's clock). */
export interface AcpiRequests {
  firstAt: number;
  lastAt: number;
}

export interface ShutdownObservation {
  /** Undefined until the first ACPI request is sent. */
  acpi?: AcpiRequests;
  /** Destroy without waiting out the grace period (a second SIGTERM). */
  hurry?: boolean;
}

export interface ShutdownGrace {
  /** From the first ACPI request to destroy (the VMI's terminationGracePeriodSeconds). */
  graceMs: number;
  /** ACPI presses can be lost early in boot: re-send this often during the grace period. */
  acpiResendMs: number;
}

export const DEFAULT_ACPI_RESEND_MS = 3000;

export type ShutdownStep = { kind: 'acpiShutdown' } | { kind: 'destroy' } | { kind: 'wait'; afterMs: number };

export function planShutdown(observation: ShutdownObservation, now: number, grace: ShutdownGrace): ShutdownStep {
  if (observation.hurry) return { kind: 'destroy' };
  const acpi = observation.acpi;
  if (!acpi) return { kind: 'acpiShutdown' };
  const destroyAt = acpi.firstAt + grace.graceMs;
  if (now >= destroyAt) return { kind: 'destroy' };
  const resendAt = acpi.lastAt + grace.acpiResendMs;
  if (now >= resendAt) return { kind: 'acpiShutdown' };
  return { kind: 'wait', afterMs: Math.max(1, Math.min(resendAt, destroyAt) - now) };
}

/** The ACPI bookkeeping after a request was sent at `now`. */
export function acpiSent(acpi: AcpiRequests | undefined, now: number): AcpiRequests {
  return { firstAt: acpi?.firstAt ?? now, lastAt: now };
}
