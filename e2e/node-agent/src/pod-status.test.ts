import { describe, expect, it } from 'vitest';
import { failedToStartStatus, podStatusFor, statusDiffers } from './pod-status.js';
import type { Pod } from './pod.js';

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u' },
  spec: { nodeName: 'n', containers: [{ name: 'compute', image: 'qvirt/virt-launcher:dev', command: ['x'] }] },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
};
const startedAt = new Date('2026-01-01T00:00:01Z');

describe('podStatusFor', () => {
  it('Running: container running and ready, PodScheduled kept', () => {
    const s = podStatusFor(pod, { kind: 'running', startedAt, containerID: 'qvirt-node-agent://u' }, '127.0.0.1');
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses?.[0]).toMatchObject({ name: 'compute', ready: true, state: { running: { startedAt: '2026-01-01T00:00:01Z' } } });
    expect(s.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['PodScheduled=True', 'PodReadyToStartContainers=True', 'Initialized=True', 'ContainersReady=True', 'Ready=True']);
  });
  it('exit 0 -> Succeeded/Completed; non-zero -> Failed/Error with the exit code', () => {
    const finishedAt = new Date('2026-01-01T00:00:09Z');
    const ok = podStatusFor(pod, { kind: 'exited', startedAt, finishedAt, exitCode: 0, containerID: 'c' }, 'h');
    expect(ok.phase).toBe('Succeeded');
    expect(ok.containerStatuses?.[0]?.state).toEqual({ terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:01Z', finishedAt: '2026-01-01T00:00:09Z', containerID: 'c' } });
    const bad = podStatusFor(pod, { kind: 'exited', startedAt, finishedAt, exitCode: 4, message: 'libvirtd died', containerID: 'c' }, 'h');
    expect(bad.phase).toBe('Failed');
    expect(bad.containerStatuses?.[0]?.state).toMatchObject({ terminated: { exitCode: 4, reason: 'Error', message: 'libvirtd died' } });
    expect(bad.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodFailed' });
  });
});

describe('failedToStartStatus / statusDiffers', () => {
  it('Failed with the reason; differs from Pending, equal to itself', () => {
    const s = failedToStartStatus(pod, { reason: 'UnexpectedAdmissionError', message: 'Allocate failed' }, 'h', startedAt);
    expect(s).toMatchObject({ phase: 'Failed', reason: 'UnexpectedAdmissionError', message: 'Allocate failed' });
    expect(statusDiffers(pod.status, s)).toBe(true);
    expect(statusDiffers(s, structuredClone(s))).toBe(false);
  });
});
