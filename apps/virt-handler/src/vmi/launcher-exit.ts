// What a launcher's exit record says about a VMI whose launcher is gone: the domain's stop
// reason (what a missed lifecycle event would have said) and the launcher's own account. The
// launcher writes it before closing its sockets, so a handler restarted meanwhile still knows.
import type { LauncherExitRecord } from '@qvirt/launcher-rpc';

export interface ExitFacts {
  /** The terminal lifecycle event the record stands for, when the domain ran and stopped. */
  ended?: { event: string; detail: string };
  /** Why the launcher is gone, for the VMI's Failed message. */
  lost: string;
}

export function exitFacts(record: LauncherExitRecord): ExitFacts {
  const stop = record.domainStopReason;
  const facts: ExitFacts = { lost: `${record.reason} (exit code ${record.code})` };
  if (stop !== undefined) facts.ended = stop === 'crashed' ? { event: 'crashed', detail: stop } : { event: 'stopped', detail: stop };
  return facts;
}
