import { describe, expect, it } from 'vitest';
import { vmiFixture } from '@qvirt/controller/testing';
import { createControllerMetrics, secondsFromCreation } from './metrics.js';

describe('controller metrics', () => {
  it('counts VMIs by phase and node and records transition times with KubeVirt buckets', async () => {
    const a = vmiFixture({
      name: 'a',
      phase: { phase: 'Scheduled', nodeName: 'n1', phaseTransitionTimestamps: [{ phase: 'Scheduled', phaseTransitionTimestamp: '2025-01-01T00:00:03Z' }] },
    });
    const b = vmiFixture({ name: 'b' });
    const m = createControllerMetrics({ listVmis: () => [a, b] });
    expect(secondsFromCreation(a, 'Scheduled')).toBe(3);
    m.observeVmiUpdate(a, b);
    m.observeVmiUpdate(a, a); // same phase: no sample
    const text = await m.registry.metrics();
    expect(text).toContain('kubevirt_vmi_phase_count{phase="scheduled",node="n1"} 1');
    expect(text).toContain('kubevirt_vmi_phase_count{phase="pending",node=""} 1');
    expect(text).toContain('kubevirt_vmi_phase_transition_time_from_creation_seconds_bucket{le="5",phase="scheduled"} 1');
    expect(text).toContain('kubevirt_vmi_phase_transition_time_from_creation_seconds_bucket{le="2",phase="scheduled"} 0');
    expect(text).toContain('le="600"');
    expect(text).toContain('kubevirt_vmi_phase_transition_time_from_creation_seconds_count{phase="scheduled"} 1');
  });
});
