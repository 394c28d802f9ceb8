// docs/metrics.md lists every metric virt-api exports, with its type and labels.
import { describe, expect, it } from 'vitest';
import { metricsDocProblems } from '@qvirt/kube/testing';
import { createApiMetrics } from '@qvirt/admission';

describe('docs/metrics.md for virt-api', () => {
  it('lists exactly the families createApiMetrics exports, with their types and labels', async () => {
    const m = createApiMetrics();
    // Bound families show their labels once a series exists (virt-api binds them per route at start).
    m.requestDuration.series({ path: '/virtualmachineinstances-validate-create', code: '200' }).observe(0.001);
    m.admissionDecisions.series({ webhook: 'vmi-create', outcome: 'allowed' }).inc();
    expect(metricsDocProblems('virt-api', await m.text())).toEqual([]);
  });
});
