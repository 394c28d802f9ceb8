import { describe, expect, it } from 'vitest';
import { initialTrackerState, observe, type DomainObservation, type TrackerState } from './domain-tracker.js';

function run(obs: DomainObservation[], shutdownRequested = false): TrackerState {
  return obs.reduce((s, o) => observe(s, o, shutdownRequested), initialTrackerState);
}

describe('domain tracker', () => {
  it('ends with 0 when a domain that ran shuts down', () => {
    const s = run([
      { kind: 'event', event: 'defined', detail: 'added' },
      { kind: 'event', event: 'started', detail: 'booted' },
      { kind: 'event', event: 'shutdown', detail: 'finished' },
      { kind: 'event', event: 'stopped', detail: 'shutdown' },
    ]);
    expect(s.ended).toMatchObject({ code: 0, stopReason: 'shutdown' });
  });

  it('treats a destroy as clean only after the launcher asked for the shutdown', () => {
    const obs: DomainObservation[] = [
      { kind: 'state', state: 'running', reason: 'booted' },
      { kind: 'state', state: 'shutoff', reason: 'destroyed' },
    ];
    expect(run(obs, true).ended).toMatchObject({ code: 0 });
    expect(run(obs, false).ended).toMatchObject({ code: 1, reason: 'the domain was destroyed by another libvirt client' });
  });

  it('ends non-zero on crash or QEMU failure', () => {
    expect(
      run([
        { kind: 'event', event: 'started', detail: 'booted' },
        { kind: 'event', event: 'stopped', detail: 'crashed' },
      ]).ended?.code,
    ).toBe(1);
    expect(
      run([
        { kind: 'state', state: 'running', reason: 'booted' },
        { kind: 'state', state: 'shutoff', reason: 'failed' },
      ]).ended?.code,
    ).toBe(1);
    expect(run([{ kind: 'state', state: 'crashed', reason: 'panicked' }]).ended?.code).toBe(1);
  });

  it('keeps waiting when a defined domain never ran (failed start) or is absent', () => {
    const s = run([
      { kind: 'absent' },
      { kind: 'event', event: 'defined', detail: 'added' },
      { kind: 'event', event: 'stopped', detail: 'failed' },
      { kind: 'state', state: 'shutoff', reason: 'failed' },
    ]);
    expect(s).toEqual({ defined: true, ran: false });
  });

  it('keeps the first end: a later undefine or poll does not change the verdict', () => {
    const s = run([
      { kind: 'state', state: 'running', reason: 'booted' },
      { kind: 'event', event: 'stopped', detail: 'shutdown' },
      { kind: 'event', event: 'undefined', detail: 'removed' },
      { kind: 'state', state: 'shutoff', reason: 'destroyed' },
    ]);
    expect(s.ended).toMatchObject({ code: 0, stopReason: 'shutdown' });
  });
});
