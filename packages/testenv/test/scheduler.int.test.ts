import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../src/index.js';
import { eventually, isRunning } from './proc.js';

// Without controller-manager: no node lifecycle controller (so no not-ready taint on a
// kubelet-less node) and no serviceaccount controller (so the test creates "default").
describe('startControlPlane({ withScheduler })', () => {
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane({ withScheduler: true });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('binds a pod to a Ready node created by hand', async () => {
    expect(cp.pids.scheduler && isRunning(cp.pids.scheduler)).toBe(true);
    const core = cp.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNode({ body: { metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } } } });
    const capacity = { pods: '10', cpu: '4', memory: '8Gi' };
    await core.replaceNodeStatus({
      name: 'node-a',
      body: {
        metadata: { name: 'node-a' },
        status: {
          capacity,
          allocatable: capacity,
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hand-made', lastHeartbeatTime: new Date(), lastTransitionTime: new Date() }],
        },
      },
    });
    await core.createNamespace({ body: { metadata: { name: 'sched' } } });
    await core.createNamespacedServiceAccount({ namespace: 'sched', body: { metadata: { name: 'default' } } });
    await core.createNamespacedPod({
      namespace: 'sched',
      body: { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'example.invalid/none', resources: { requests: { cpu: '100m' } } }] } },
    });
    const pod = await eventually<V1Pod>(async () => {
      const p = await core.readNamespacedPod({ namespace: 'sched', name: 'p1' });
      return p.spec?.nodeName ? p : undefined;
    }, 60_000);
    expect(pod?.spec?.nodeName).toBe('node-a');
    expect(pod?.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
  });

  it('a pod that fits no node stays Pending with PodScheduled=False', async () => {
    const core = cp.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({
      namespace: 'sched',
      body: { metadata: { name: 'big' }, spec: { containers: [{ name: 'c', image: 'example.invalid/none', resources: { requests: { cpu: '64' } } }] } },
    });
    const cond = await eventually(async () => {
      const p = await core.readNamespacedPod({ namespace: 'sched', name: 'big' });
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    }, 60_000);
    expect(cond?.message).toContain('Insufficient cpu');
  });
});
