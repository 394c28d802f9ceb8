import type { KubeObject } from './object.js';

/** coordination.k8s.io/v1 Lease, the fields leader election uses. */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

export type LeaseAction = 'acquire' | 'renew' | 'wait';

export interface LeaseObservation {
  /** holderIdentity + renewTime as last seen, and when (local clock) it last changed. */
  record: string;
  observedAt: number;
}

/** The record string a lease is compared by (changes whenever the holder renews). */
export function leaseRecord(lease: Lease | undefined): string {
  const s = lease?.spec;
  return `${s?.holderIdentity ?? ''}|${s?.renewTime ?? ''}|${s?.leaseTransitions ?? 0}`;
}

/**
 * client-go's rule: a lease held by another is free only when its record has not
 * changed for leaseDuration by OUR clock (no trust in the other host's clock).
 */
export function decideLease(opts: { lease: Lease | undefined; identity: string; now: number; observation: LeaseObservation | undefined }): LeaseAction {
  const { lease, identity, now, observation } = opts;
  const holder = lease?.spec?.holderIdentity ?? '';
  if (!lease || holder === '') return 'acquire';
  if (holder === identity) return 'renew';
  const durationMs = (lease.spec?.leaseDurationSeconds ?? 15) * 1000;
  if (!observation || observation.record !== leaseRecord(lease)) return 'wait';
  return now - observation.observedAt >= durationMs ? 'acquire' : 'wait';
}

/** metav1.MicroTime wants six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The lease as written by `identity` taking or keeping it. */
export function desiredLease(opts: {
  lease: Lease | undefined;
  identity: string;
  namespace: string;
  name: string;
  leaseDurationSeconds: number;
  now: Date;
}): Lease {
  const { lease, identity, now } = opts;
  const keeping = lease?.spec?.holderIdentity === identity;
  const transitions = lease?.spec?.leaseTransitions ?? 0;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: lease?.metadata
      ? { name: opts.name, namespace: opts.namespace, resourceVersion: lease.metadata.resourceVersion! }
      : { name: opts.name, namespace: opts.namespace },
    spec: {
      holderIdentity: identity,
      leaseDurationSeconds: opts.leaseDurationSeconds,
      acquireTime: keeping ? (lease?.spec?.acquireTime ?? microTime(now)) : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: keeping || !lease ? transitions : transitions + 1,
    },
  };
}
