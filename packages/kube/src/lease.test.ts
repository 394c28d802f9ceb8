import { describe, expect, it } from 'vitest';
import { decideLease, desiredLease, leaseRecord, microTime, type Lease } from './lease.js';

const lease = (holder: string | null, renew = '2025-01-01T00:00:00.000000Z', transitions = 0): Lease => ({
  metadata: { name: 'l', namespace: 'kubevirt', resourceVersion: '7' },
  spec: { holderIdentity: holder, leaseDurationSeconds: 15, renewTime: renew, leaseTransitions: transitions },
});

describe('lease decisions', () => {
  it('acquires a missing or released lease and renews its own', () => {
    expect(decideLease({ lease: undefined, identity: 'me', now: 0, observation: undefined })).toBe('acquire');
    expect(decideLease({ lease: lease(null), identity: 'me', now: 0, observation: undefined })).toBe('acquire');
    expect(decideLease({ lease: lease('me'), identity: 'me', now: 0, observation: undefined })).toBe('renew');
  });

  it("takes another holder's lease only after it went unchanged for leaseDuration by the local clock", () => {
    const l = lease('other');
    const observation = { record: leaseRecord(l), observedAt: 1_000 };
    expect(decideLease({ lease: l, identity: 'me', now: 1_000, observation: undefined })).toBe('wait');
    expect(decideLease({ lease: l, identity: 'me', now: 15_999, observation })).toBe('wait');
    expect(decideLease({ lease: l, identity: 'me', now: 16_000, observation })).toBe('acquire');
    // The holder renewed meanwhile: the record differs from what we observed.
    const renewed = lease('other', '2025-01-01T00:00:05.000000Z');
    expect(decideLease({ lease: renewed, identity: 'me', now: 60_000, observation })).toBe('wait');
  });

  it('counts transitions only when the holder changes and keeps resourceVersion for optimistic concurrency', () => {
    const now = new Date('2025-01-01T00:00:10.123Z');
    const taken = desiredLease({ lease: lease('other', undefined, 3), identity: 'me', namespace: 'kubevirt', name: 'l', leaseDurationSeconds: 15, now });
    expect(taken.spec).toMatchObject({
      holderIdentity: 'me',
      leaseTransitions: 4,
      renewTime: '2025-01-01T00:00:10.123000Z',
      acquireTime: '2025-01-01T00:00:10.123000Z',
    });
    expect(taken.metadata?.resourceVersion).toBe('7');
    const kept = desiredLease({
      lease: { ...lease('me', undefined, 4), spec: { ...lease('me').spec, leaseTransitions: 4, acquireTime: 'A' } },
      identity: 'me',
      namespace: 'kubevirt',
      name: 'l',
      leaseDurationSeconds: 15,
      now,
    });
    expect(kept.spec).toMatchObject({ leaseTransitions: 4, acquireTime: 'A' });
    const fresh = desiredLease({ lease: undefined, identity: 'me', namespace: 'kubevirt', name: 'l', leaseDurationSeconds: 15, now });
    expect(fresh.spec?.leaseTransitions).toBe(0);
    expect(fresh.metadata?.resourceVersion).toBeUndefined();
  });

  it('formats MicroTime with six fractional digits', () => {
    expect(microTime(new Date('2025-03-04T05:06:07.089Z'))).toBe('2025-03-04T05:06:07.089000Z');
  });
});
