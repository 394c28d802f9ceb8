// docs/metrics.md lists every metric virt-controller exports, with its type and labels.
import { describe, expect, it } from 'vitest';
import { metricsDocProblems } from '@qvirt/kube/testing';
import { createControllerMetrics } from './metrics.js';
import { vmiFixture } from '@qvirt/controller/testing';

describe('docs/metrics.md for virt-controller', () => {
  it('lists exactly the families createControllerMetrics exports, with their types and labels', async () => {
    const running = vmiFixture({
      name: 'a',
      phase: { phase: 'Running', nodeName: 'node-1', phaseTransitionTimestamps: [{ phase: 'Running', phaseTransitionTimestamp: '2025-01-01T00:00:09Z' }] },
    });
    const m = createControllerMetrics({ listVmis: () => [running] });
    m.observeVmiUpdate(running, vmiFixture({ name: 'a' }));
    m.setQueueDepth('virtualmachineinstance', 1);
    m.observeReconcile('virtualmachineinstance', 3, 'success');
    m.setLeading(true);
    expect(metricsDocProblems('virt-controller', await m.registry.metrics())).toEqual([]);
  });
});
