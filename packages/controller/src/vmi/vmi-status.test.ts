import { describe, expect, it } from 'vitest';
import { podFixture, vmiFixture } from '../testing/fixtures.js';
import { desiredVmiStatus, phaseFromPod, setCondition, statusPatch } from './vmi-status.js';

const now = new Date('2025-01-01T00:00:05.000Z');

describe('phase from the launcher pod', () => {
  it('Pending -> Scheduling once a pod exists, Scheduled once bound and Running', () => {
    expect(phaseFromPod({ kind: 'pod', pod: podFixture() }, 'Pending').phase).toBe('Scheduling');
    expect(phaseFromPod({ kind: 'pod', pod: podFixture({ nodeName: 'n1' }) }, 'Scheduling').phase).toBe('Scheduling');
    expect(phaseFromPod({ kind: 'pod', pod: podFixture({ nodeName: 'n1', phase: 'Running' }) }, 'Scheduling').phase).toBe('Scheduled');
  });

  it('a failed, completed-early, terminating or vanished pod fails the VMI with the reason', () => {
    const failed = podFixture({ phase: 'Failed' });
    failed.status!.reason = 'Evicted';
    failed.status!.message = 'The node was low on resource: memory.';
    expect(phaseFromPod({ kind: 'pod', pod: failed }, 'Scheduled')).toEqual({
      phase: 'Failed',
      reason: 'PodFailed',
      message: 'virt-launcher pod failed: Evicted: The node was low on resource: memory.',
    });
    expect(phaseFromPod({ kind: 'pod', pod: podFixture({ phase: 'Succeeded' }) }, 'Scheduled').reason).toBe('PodCompleted');
    expect(phaseFromPod({ kind: 'pod', pod: podFixture({ deleting: true }) }, 'Scheduling').reason).toBe('PodTerminating');
    expect(phaseFromPod({ kind: 'none' }, 'Running')).toMatchObject({ phase: 'Failed', reason: 'PodDeleted' });
    expect(phaseFromPod({ kind: 'none' }, 'Pending').phase).toBe('Pending');
  });

  it('leaves a Running VMI whose pod completed to virt-handler', () => {
    expect(phaseFromPod({ kind: 'pod', pod: podFixture({ phase: 'Succeeded' }) }, 'Running').phase).toBe('Running');
  });
});

describe('desiredVmiStatus', () => {
  it('moves to Scheduling with a transition timestamp, LiveMigratable=False for host devices', () => {
    const s = desiredVmiStatus({ vmi: vmiFixture(), observation: { kind: 'pod', pod: podFixture() }, now })!;
    expect(s.phase).toBe('Scheduling');
    expect(s.phaseTransitionTimestamps).toEqual([
      { phase: 'Pending', phaseTransitionTimestamp: '2025-01-01T00:00:00Z' },
      { phase: 'Scheduling', phaseTransitionTimestamp: '2025-01-01T00:00:05Z' },
    ]);
    expect(s.conditions).toContainEqual(expect.objectContaining({ type: 'LiveMigratable', status: 'False', reason: 'HostDeviceNotLiveMigratable' }));
  });

  it('sets nodeName at Scheduled and is idempotent', () => {
    const vmi = vmiFixture();
    const pod = podFixture({ nodeName: 'node-1', phase: 'Running' });
    const s = desiredVmiStatus({
      vmi: { ...vmi, status: { phase: 'Scheduling', phaseTransitionTimestamps: [{ phase: 'Pending', phaseTransitionTimestamp: 'x' }] } },
      observation: { kind: 'pod', pod },
      now,
    })!;
    expect(s).toMatchObject({ phase: 'Scheduled', nodeName: 'node-1' });
    expect(desiredVmiStatus({ vmi: { ...vmi, status: s }, observation: { kind: 'pod', pod }, now: new Date() })).toBeUndefined();
  });

  it('never moves a phase backwards (Running stays Running while the pod is Pending in a stale cache)', () => {
    const vmi = { ...vmiFixture({ qats: 0 }), status: { phase: 'Running' as const, nodeName: 'n', conditions: [] } };
    expect(desiredVmiStatus({ vmi, observation: { kind: 'pod', pod: podFixture() }, now })).toBeUndefined();
  });

  it('never touches the phase of a final VMI', () => {
    const vmi = { ...vmiFixture({ qats: 0 }), status: { phase: 'Succeeded' as const, conditions: [] } };
    expect(desiredVmiStatus({ vmi, observation: { kind: 'none' }, now })).toBeUndefined();
    expect(desiredVmiStatus({ vmi, observation: { kind: 'pod', pod: podFixture({ phase: 'Failed' }) }, now })).toBeUndefined();
  });

  it('fails a Running VMI whose pod failed', () => {
    const vmi = { ...vmiFixture({ qats: 0 }), status: { phase: 'Running' as const, conditions: [] } };
    expect(desiredVmiStatus({ vmi, observation: { kind: 'pod', pod: podFixture({ phase: 'Failed', nodeName: 'n' }) }, now })).toMatchObject({
      phase: 'Failed',
      reason: 'PodFailed',
    });
  });

  it("copies the scheduler's PodScheduled=False onto the VMI and drops it once scheduled", () => {
    const msg = '0/1 nodes are available: 1 Insufficient qat.intel.com/generic.';
    const pod = podFixture({ conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg }] });
    const s = desiredVmiStatus({ vmi: vmiFixture(), observation: { kind: 'pod', pod }, now })!;
    expect(s.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg }));
    const bound = podFixture({ nodeName: 'n', phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }] });
    const s2 = desiredVmiStatus({ vmi: { ...vmiFixture(), status: s }, observation: { kind: 'pod', pod: bound }, now })!;
    expect(s2.conditions?.some((c) => c.type === 'PodScheduled')).toBe(false);
  });

  it('a render failure becomes Synchronized=False with the message, cleared once a pod exists', () => {
    const m = 'HostDevice x is not permitted in permittedHostDevices configuration';
    const s = desiredVmiStatus({ vmi: vmiFixture(), observation: { kind: 'renderFailed', reason: 'FailedCreate', message: m }, now })!;
    expect(s.phase).toBe('Pending');
    expect(s.conditions).toContainEqual(expect.objectContaining({ type: 'Synchronized', status: 'False', reason: 'FailedCreate', message: m }));
    const s2 = desiredVmiStatus({ vmi: { ...vmiFixture(), status: s }, observation: { kind: 'pod', pod: podFixture() }, now })!;
    expect(s2.conditions?.some((c) => c.type === 'Synchronized')).toBe(false);
  });

  it('setCondition keeps lastTransitionTime while the status stays', () => {
    const a = setCondition([], { type: 'X', status: 'False', reason: 'a' }, new Date('2025-01-01T00:00:00Z'));
    const b = setCondition(a, { type: 'X', status: 'False', reason: 'b' }, new Date('2025-01-02T00:00:00Z'));
    expect(b[0]!.lastTransitionTime).toBe('2025-01-01T00:00:00Z');
    const c = setCondition(b, { type: 'X', status: 'True' }, new Date('2025-01-03T00:00:00Z'));
    expect(c[0]!.lastTransitionTime).toBe('2025-01-03T00:00:00Z');
  });

  it('statusPatch carries whole lists (merge patch replaces arrays)', () => {
    expect(statusPatch({ phase: 'Scheduled', nodeName: 'n' })).toEqual({ phase: 'Scheduled', nodeName: 'n', conditions: [], phaseTransitionTimestamps: [] });
  });
});
