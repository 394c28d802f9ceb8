import { describe, expect, it } from 'vitest';
import { acpiSent, planShutdown, type ShutdownObservation } from './shutdown.plan.js';

const grace = { graceMs: 10_000, acpiResendMs: 3000 };

describe('planShutdown', () => {
  it.each<[string, ShutdownObservation, number, ReturnType<typeof planShutdown>]>([
    ['first: ACPI', {}, 0, { kind: 'acpiShutdown' }],
    ['just sent: wait until the resend', { acpi: { firstAt: 0, lastAt: 0 } }, 1, { kind: 'wait', afterMs: 2999 }],
    ['resend due: ACPI again', { acpi: { firstAt: 0, lastAt: 0 } }, 3000, { kind: 'acpiShutdown' }],
    ['near the end: wait for the grace period, not the resend', { acpi: { firstAt: 0, lastAt: 9000 } }, 9500, { kind: 'wait', afterMs: 500 }],
    ['grace period over: destroy', { acpi: { firstAt: 0, lastAt: 9000 } }, 10_000, { kind: 'destroy' }],
    ['hurry: destroy before any ACPI', { hurry: true }, 0, { kind: 'destroy' }],
    ['hurry: destroy during the grace period', { acpi: { firstAt: 0, lastAt: 0 }, hurry: true }, 1, { kind: 'destroy' }],
  ])('%s', (_, observation, now, step) => {
    expect(planShutdown(observation, now, grace)).toEqual(step);
  });

  it('waits at least 1 ms and destroys at once with no grace period', () => {
    expect(planShutdown({ acpi: { firstAt: 0, lastAt: 0 } }, 0, { graceMs: 0, acpiResendMs: 3000 })).toEqual({ kind: 'destroy' });
    expect(planShutdown({ acpi: { firstAt: 0, lastAt: 0 } }, 0, { graceMs: 5, acpiResendMs: 0 })).toEqual({ kind: 'acpiShutdown' });
  });

  it('keeps the first request time across resends', () => {
    expect(acpiSent(undefined, 5)).toEqual({ firstAt: 5, lastAt: 5 });
    expect(acpiSent({ firstAt: 5, lastAt: 5 }, 8)).toEqual({ firstAt: 5, lastAt: 8 });
  });
});
