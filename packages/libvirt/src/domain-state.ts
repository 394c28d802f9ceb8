// virDomainState + per-state reasons (libvirt-domain.h) as string unions.

export type DomainStateName = 'nostate' | 'running' | 'blocked' | 'paused' | 'shutdown' | 'shutoff' | 'crashed' | 'pmsuspended' | 'unknown';

export interface DomainState {
  state: DomainStateName;
  /** The state's reason, e.g. `booted` (running) or `destroyed` (shutoff); `unknown` if unmapped. */
  reason: string;
}

const states: readonly DomainStateName[] = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'];

// Index = the numeric reason of virDomain<State>Reason.
const reasons: Record<string, readonly string[]> = {
  nostate: ['unknown'],
  running: [
    'unknown',
    'booted',
    'migrated',
    'restored',
    'from_snapshot',
    'unpaused',
    'migration_canceled',
    'save_canceled',
    'wakeup',
    'crashed',
    'postcopy',
    'postcopy_failed',
  ],
  blocked: ['unknown'],
  paused: [
    'unknown',
    'user',
    'migration',
    'save',
    'dump',
    'ioerror',
    'watchdog',
    'from_snapshot',
    'shutting_down',
    'snapshot',
    'crashed',
    'starting_up',
    'postcopy',
    'postcopy_failed',
    'api_error',
  ],
  shutdown: ['unknown', 'user'],
  shutoff: ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from_snapshot', 'daemon'],
  crashed: ['unknown', 'panicked'],
  pmsuspended: ['unknown'],
};

export function mapDomainState(state: number, reason: number): DomainState {
  const name = states[state] ?? 'unknown';
  return { state: name, reason: reasons[name]?.[reason] ?? 'unknown' };
}
