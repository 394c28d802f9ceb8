import { sleep } from './backoff.js';
import { isConflict, isNotFound, isAlreadyExists } from './errors.js';
import type { KubeClient } from './kube-client.js';
import { ResourcePaths } from './resource-paths.js';
import { decideLease, desiredLease, leaseRecord, microTime, type Lease, type LeaseObservation } from './lease.js';
import { errFields, type Logger } from '@qvirt/log';

export interface LeaderElectorOptions {
  client: KubeClient;
  namespace: string;
  name: string;
  /** Unique per process (hostname + random suffix), so a restarted process does not inherit leadership blindly. */
  identity: string;
  logger: Logger;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Called once when leadership is gained; the signal aborts when it is lost or the elector stops. */
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called once when leadership ends (lost or released). */
  onStoppedLeading?: () => void;
  onNewLeader?: (identity: string) => void;
}

export type LeaderElectionOutcome = 'stopped' | 'lost';

/**
 * Leader election on a coordination.k8s.io/v1 Lease (client-go's algorithm):
 * optimistic-concurrency PUTs, a foreign lease is taken only after it has not
 * changed for leaseDuration by the local clock, the leader gives up when it
 * cannot renew within renewDeadline, and releases the lease on stop so a
 * successor takes over at once.
 */
export class LeaderElector {
  private readonly o: Required<Omit<LeaderElectorOptions, 'onStoppedLeading' | 'onNewLeader'>> & Pick<LeaderElectorOptions, 'onStoppedLeading' | 'onNewLeader'>;
  private readonly path: string;
  private observation: LeaseObservation | undefined;
  private lastHolder = '';
  private leading = false;
  private lease: Lease | undefined;

  constructor(opts: LeaderElectorOptions) {
    this.o = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, ...opts };
    if (!(this.o.leaseDurationMs > this.o.renewDeadlineMs && this.o.renewDeadlineMs > this.o.retryPeriodMs)) {
      throw new RangeError(
        `leader election needs leaseDuration (${this.o.leaseDurationMs} ms) > renewDeadline (${this.o.renewDeadlineMs} ms) > retryPeriod (${this.o.retryPeriodMs} ms)`,
      );
    }
    this.path = ResourcePaths.leases(opts.namespace, opts.name);
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns until leader, leads until lost or `signal` aborts. 'lost' means the caller should stop working (and usually exit). */
  async run(signal: AbortSignal): Promise<LeaderElectionOutcome> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) break;
      await sleep(this.jittered(), signal);
    }
    if (signal.aborted) return 'stopped';
    this.leading = true;
    this.o.logger.info({ lease: `${this.o.namespace}/${this.o.name}`, identity: this.o.identity }, 'became leader');
    const leadership = new AbortController();
    const onStop = () => leadership.abort();
    signal.addEventListener('abort', onStop, { once: true });
    void Promise.resolve()
      .then(() => this.o.onStartedLeading(leadership.signal))
      .catch((err: unknown) => this.o.logger.error(errFields(err), 'onStartedLeading failed'));
    let lastRenew = Date.now();
    let outcome: LeaderElectionOutcome = 'stopped';
    while (!signal.aborted) {
      await sleep(this.o.retryPeriodMs, signal);
      if (signal.aborted) break;
      if (await this.tryAcquireOrRenew()) {
        lastRenew = Date.now();
      } else if (Date.now() - lastRenew >= this.o.renewDeadlineMs || this.lastHolder !== this.o.identity) {
        outcome = 'lost';
        break;
      }
    }
    signal.removeEventListener('abort', onStop);
    leadership.abort();
    this.leading = false;
    if (outcome === 'stopped') await this.release();
    this.o.logger.info({ lease: `${this.o.namespace}/${this.o.name}`, outcome }, 'stopped leading');
    this.o.onStoppedLeading?.();
    return outcome;
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    let lease: Lease | undefined;
    try {
      lease = await this.o.client.get<Lease>(this.path);
    } catch (err) {
      if (!isNotFound(err)) {
        this.o.logger.warn({ lease: this.path, ...errFields(err) }, 'reading the leader lease failed');
        return false;
      }
    }
    const now = Date.now();
    const record = leaseRecord(lease);
    if (this.observation?.record !== record) this.observation = { record, observedAt: now };
    this.noteHolder(lease?.spec?.holderIdentity ?? '');
    const action = decideLease({ lease, identity: this.o.identity, now, observation: this.observation });
    if (action === 'wait') return false;
    const want = desiredLease({
      lease,
      identity: this.o.identity,
      namespace: this.o.namespace,
      name: this.o.name,
      leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
      now: new Date(now),
    });
    try {
      this.lease = lease
        ? await this.o.client.replace<Lease>(this.path, want)
        : await this.o.client.create<Lease>(ResourcePaths.leases(this.o.namespace), want);
    } catch (err) {
      // Someone else wrote first: not ours this round.
      if (!isConflict(err) && !isAlreadyExists(err)) this.o.logger.warn({ lease: this.path, ...errFields(err) }, 'writing the leader lease failed');
      return false;
    }
    this.observation = { record: leaseRecord(this.lease), observedAt: Date.now() };
    this.noteHolder(this.o.identity);
    return true;
  }

  /** Hands the lease back (empty holder, 1 s duration) so a successor need not wait for expiry. */
  private async release(): Promise<void> {
    if (!this.lease) return;
    try {
      await this.o.client.replace<Lease>(this.path, {
        ...this.lease,
        spec: { ...this.lease.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: microTime(new Date()) },
      });
    } catch (err) {
      this.o.logger.warn({ lease: this.path, ...errFields(err) }, 'releasing the leader lease failed; successor waits for expiry');
    }
  }

  private noteHolder(holder: string): void {
    if (holder !== this.lastHolder) {
      this.lastHolder = holder;
      if (holder !== '') this.o.onNewLeader?.(holder);
    }
  }

  private jittered(): number {
    return Math.round(this.o.retryPeriodMs * (1 + 0.2 * Math.random()));
  }
}
