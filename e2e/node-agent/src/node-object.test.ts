import { describe, expect, it } from 'vitest';
import { renderLease, renderNode, renderNodeStatus, type NodeFacts } from './node-object.js';

const facts: NodeFacts = {
  name: 'node-a',
  cpu: 2,
  memoryBytes: 4 * 1024 ** 3,
  maxPods: 110,
  hostIP: '127.0.0.1',
  kernelVersion: '6.1.0',
  osImage: 'Debian GNU/Linux 12',
  bootID: 'b',
  machineID: 'm',
  kubeletVersion: 'v1.34.4',
};

describe('renderNode', () => {
  it('labels the node as a simulated QAT node and says what stands in for the kubelet', () => {
    const n = renderNode(facts);
    expect(n.metadata.labels).toMatchObject({ 'qvirt.io/simulated-qat': 'true', 'kubernetes.io/hostname': 'node-a' });
    expect(n.metadata.annotations['qvirt.io/node-agent']).toMatch(/stands in for the kubelet/);
  });
});

describe('renderNodeStatus', () => {
  const now = new Date('2026-01-01T00:00:10.123Z');
  it('advertises every device as capacity and the healthy ones as allocatable', () => {
    const s = renderNodeStatus(facts, new Map([['qat.intel.com/generic', { capacity: 16, allocatable: 15 }]]), undefined, now);
    expect(s.capacity).toMatchObject({ cpu: '2', pods: '110', 'qat.intel.com/generic': '16' });
    expect(s.allocatable['qat.intel.com/generic']).toBe('15');
    expect(s.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady', lastHeartbeatTime: '2026-01-01T00:00:10Z' });
  });
  it('keeps lastTransitionTime while a condition keeps its status', () => {
    const first = renderNodeStatus(facts, new Map(), undefined, new Date('2026-01-01T00:00:00Z'));
    const second = renderNodeStatus(facts, new Map(), first.conditions, now);
    const ready = second.conditions.find((c) => c.type === 'Ready');
    expect(ready?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(ready?.lastHeartbeatTime).toBe('2026-01-01T00:00:10Z');
  });
});

describe('renderLease', () => {
  const now = new Date('2026-01-01T00:00:10.123Z');
  it('holds the node lease in kube-node-lease with a MicroTime renewTime', () => {
    const l = renderLease('node-a', 'uid-1', 40, now) as { metadata: { namespace: string }; spec: { renewTime: string; leaseDurationSeconds: number } };
    expect(l.metadata.namespace).toBe('kube-node-lease');
    expect(l.spec).toMatchObject({ leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:10.123000Z' });
  });
});
