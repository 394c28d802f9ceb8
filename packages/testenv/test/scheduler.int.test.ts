import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../src/index.js';
import { eventually } from '@qvirt/testing';
import { isRunning } from './proc.js';

// Without controller-manager: no serviceaccount controller (the test creates "default"),
// and no node lifecycle controller to lift the node.kubernetes.io/not-ready:NoSchedule
// taint that the TaintNodesByCondition admission plugin puts on every new Node; the
// test lifts it by hand, as that controller would for a Ready node.
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
          conditions: [
            { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hand-made', lastHeartbeatTime: new Date(), lastTransitionTime: new Date() },
          ],
        },
      },
    });
    const node = await core.readNode({ name: 'node-a' });
    expect(node.spec?.taints?.map((t) => t.key)).toEqual(['node.kubernetes.io/not-ready']);
    await core.replaceNode({ name: 'node-a', body: { ...node, spec: { ...node.spec, taints: [] } } });
    await core.createNamespace({ body: { metadata: { name: 'sched' } } });
    await core.createNamespacedServiceAccount({ namespace: 'sched', body: { metadata: { name: 'default' } } });
    await core.createNamespacedPod({
      namespace: 'sched',
      body: { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'example.invalid/none', resources: { requests: { cpu: '100m' } } }] } },
    });
    const pod = await eventually<V1Pod>(
      'pod p1 bound',
      async () => {
        const p = await core.readNamespacedPod({ namespace: 'sched', name: 'p1' });
        return p.spec?.nodeName ? p : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(pod?.spec?.nodeName).toBe('node-a');
    expect(pod?.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
  });

  it('a pod that fits no node stays Pending with PodScheduled=False', async () => {
    const core = cp.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({
      namespace: 'sched',
      body: { metadata: { name: 'big' }, spec: { containers: [{ name: 'c', image: 'example.invalid/none', resources: { requests: { cpu: '64' } } }] } },
    });
    const cond = await eventually(
      'pod big PodScheduled=False',
      async () => {
        const p = await core.readNamespacedPod({ namespace: 'sched', name: 'big' });
        return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(cond?.message).toContain('Insufficient cpu');
  });
});
