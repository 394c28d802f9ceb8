import { describe, expect, it } from 'vitest';
import { planDomainAction } from './domain-action.js';
import type { VmiObservation } from './vmi-observation.js';
import { testVmi } from '../testing/fixtures.js';

const running: VmiObservation = { launcher: { kind: 'connected', domain: { kind: 'present', state: 'running', reason: 'booted' } } };
const absent: VmiObservation = { launcher: { kind: 'connected', domain: { kind: 'absent' } } };
const o = { acpiResendMs: 3000 };

describe('planDomainAction', () => {
  it('a scheduled VMI: wait for the launcher with growing backoff, then start once', () => {
    const vmi = testVmi();
    const wait1 = planDomainAction(vmi, { launcher: { kind: 'unreachable', cause: 'no socket', socketExists: false, failures: 1 } }, 0, o);
    const wait9 = planDomainAction(vmi, { launcher: { kind: 'unreachable', cause: 'no socket', socketExists: false, failures: 9 } }, 0, o);
    expect(wait1).toEqual({ kind: 'wait', afterMs: 400, why: 'waiting for the launcher: no socket' });
    expect(wait9).toMatchObject({ kind: 'wait', afterMs: 5000 });
    expect(planDomainAction(vmi, absent, 0, o)).toEqual({ kind: 'start' });
    // Defined but never started (handler restarted in between): start.
    expect(planDomainAction(vmi, { launcher: { kind: 'connected', domain: { kind: 'present', state: 'shutoff', reason: 'unknown' } } }, 0, o)).toEqual({
      kind: 'start',
    });
  });

  it('never starts a domain that runs or ran, nor after a failure', () => {
    expect(planDomainAction(testVmi(), running, 0, o)).toEqual({ kind: 'none' });
    expect(planDomainAction(testVmi({ status: { phase: 'Running', nodeName: 'node1' } }), running, 0, o)).toEqual({ kind: 'none' });
    expect(planDomainAction(testVmi(), { launcher: { kind: 'connected', domain: { kind: 'present', state: 'shutoff', reason: 'shutdown' } } }, 0, o)).toEqual({
      kind: 'none',
    });
    expect(planDomainAction(testVmi(), { ...absent, failure: { reason: 'StartFailed', message: 'x' } }, 0, o)).toEqual({ kind: 'none' });
    expect(planDomainAction(testVmi(), { ...absent, ended: { event: 'stopped', detail: 'shutdown' } }, 0, o)).toEqual({ kind: 'none' });
    expect(planDomainAction(testVmi({ status: { phase: 'Scheduling' } }), absent, 0, o)).toEqual({ kind: 'none' });
    expect(planDomainAction(testVmi({ status: { phase: 'Failed', nodeName: 'node1' } }), running, 0, o)).toEqual({ kind: 'release' });
  });

  it('deletion: ACPI, re-sent during the grace period, then destroy', () => {
    const vmi = testVmi({ deleting: true, grace: 10, status: { phase: 'Running', nodeName: 'node1' } });
    expect(planDomainAction(vmi, running, 1000, o)).toEqual({ kind: 'acpiShutdown' });
    const s = { firstAt: 1000, lastAt: 1000 };
    expect(planDomainAction(vmi, { ...running, shutdown: s }, 2000, o)).toEqual({ kind: 'wait', afterMs: 2000, why: 'guest shutting down' });
    expect(planDomainAction(vmi, { ...running, shutdown: s }, 4000, o)).toEqual({ kind: 'acpiShutdown' });
    expect(planDomainAction(vmi, { ...running, shutdown: { firstAt: 1000, lastAt: 10_000 } }, 11_000, o)).toEqual({ kind: 'destroy' });
    // Off already, or the launcher is gone: nothing left to do.
    expect(planDomainAction(vmi, { launcher: { kind: 'connected', domain: { kind: 'present', state: 'shutoff', reason: 'shutdown' } } }, 0, o)).toEqual({
      kind: 'none',
    });
    expect(planDomainAction(vmi, { launcher: { kind: 'gone', cause: 'eof' } }, 0, o)).toEqual({ kind: 'none' });
    // Default grace period when the spec has none.
    const noGrace = testVmi({ deleting: true, status: { phase: 'Running', nodeName: 'node1' } });
    expect(planDomainAction(noGrace, { ...running, shutdown: { firstAt: 0, lastAt: 29_000 } }, 29_999, o)).toMatchObject({ kind: 'wait', afterMs: 1 });
    expect(planDomainAction(noGrace, { ...running, shutdown: { firstAt: 0, lastAt: 29_000 } }, 30_000, o)).toEqual({ kind: 'destroy' });
  });
});
