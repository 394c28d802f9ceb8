// VIR_DOMAIN_EVENT_* lifecycle events and their details as string unions.

export type LifecycleEventType = 'defined' | 'undefined' | 'started' | 'suspended' | 'resumed' | 'stopped' | 'shutdown' | 'pmsuspended' | 'crashed' | 'unknown';

export interface LifecycleEvent {
  domainName: string;
  uuid: string;
  event: LifecycleEventType;
  /** Lower-case detail, e.g. `booted` (started), `destroyed` / `shutdown` (stopped), `guest` (shutdown). */
  detail: string;
  /** The raw numbers, for logging. */
  eventCode: number;
  detailCode: number;
}

const events: readonly LifecycleEventType[] = ['defined', 'undefined', 'started', 'suspended', 'resumed', 'stopped', 'shutdown', 'pmsuspended', 'crashed'];

const details: Record<string, readonly string[]> = {
  defined: ['added', 'updated', 'renamed', 'from_snapshot'],
  undefined: ['removed', 'renamed'],
  started: ['booted', 'migrated', 'restored', 'from_snapshot', 'wakeup'],
  suspended: ['paused', 'migrated', 'ioerror', 'watchdog', 'restored', 'from_snapshot', 'api_error', 'postcopy', 'postcopy_failed'],
  resumed: ['unpaused', 'migrated', 'from_snapshot', 'postcopy', 'postcopy_failed'],
  stopped: ['shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from_snapshot'],
  shutdown: ['finished', 'guest', 'host'],
  pmsuspended: ['memory', 'disk'],
  crashed: ['panicked', 'crashloaded'],
};

export function mapLifecycleEvent(domainName: string, uuid: string, eventCode: number, detailCode: number): LifecycleEvent {
  const event = events[eventCode] ?? 'unknown';
  return { domainName, uuid, event, detail: details[event]?.[detailCode] ?? 'unknown', eventCode, detailCode };
}

/** The domain is gone for good from the hypervisor's point of view (no QEMU any more). */
export function isTerminalEvent(e: LifecycleEvent): boolean {
  return e.event === 'stopped' || e.event === 'crashed' || e.event === 'undefined';
}
