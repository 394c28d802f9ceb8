import type { ExitDecision } from './exit-policy.js';
import { exitForStoppedDomain } from './exit-policy.js';

/** What the launcher observed of its domain at one moment (from a state poll or an event). */
export type DomainObservation = { kind: 'absent' } | { kind: 'state'; state: string; reason: string } | { kind: 'event'; event: string; detail: string };

export interface TrackerState {
  /** A domain has been defined on the daemon at some point. */
  defined: boolean;
  /** It has been seen active (running, paused, shutting down): it "has run". */
  ran: boolean;
  /** Set once it ran and then stopped. */
  ended?: ExitDecision & { stopReason: string };
}

export const initialTrackerState: TrackerState = { defined: false, ran: false };

const ACTIVE_STATES = new Set(['running', 'blocked', 'paused', 'shutdown', 'pmsuspended']);
const ACTIVE_EVENTS = new Set(['started', 'resumed', 'suspended', 'shutdown', 'pmsuspended']);

/**
 * Folds one observation into the tracker (pure). Level-based: a state poll alone is enough to
 * decide; events only make it quicker and keep the exact stop detail when the domain is
 * undefined right after it stops. A domain that never ran (define, or a failed start) and stops
 * or disappears does not end the launcher: the handler may still start it, or SIGTERM it.
 */
export function observe(s: TrackerState, o: DomainObservation, shutdownRequested: boolean): TrackerState {
  if (s.ended) return s;
  const end = (stopReason: string): TrackerState => ({
    ...s,
    defined: true,
    ended: { ...exitForStoppedDomain(stopReason, shutdownRequested), stopReason },
  });
  switch (o.kind) {
    case 'absent':
      return s;
    case 'state':
      if (ACTIVE_STATES.has(o.state)) return { ...s, defined: true, ran: true };
      if (o.state === 'crashed') return end('crashed');
      if (o.state === 'shutoff' && s.ran) return end(o.reason);
      return { ...s, defined: true };
    case 'event':
      if (ACTIVE_EVENTS.has(o.event)) return { ...s, defined: true, ran: true };
      if (o.event === 'crashed') return end('crashed');
      if (o.event === 'stopped' && s.ran) return end(o.detail);
      if (o.event === 'defined') return { ...s, defined: true };
      return s;
  }
}
