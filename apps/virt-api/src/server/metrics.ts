import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** virt-api's metrics on their own registry (no globals, so tests and several servers don't collide). */
export interface ApiMetrics {
  registry: Registry;
  requestDuration: Histogram<'path' | 'code'>;
  admissionDecisions: Counter<'webhook' | 'outcome'>;
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  const up = new Gauge({ name: 'kubevirt_virt_api_up', help: 'virt-api is up and serving (KubeVirt name)', registers: [registry] });
  up.set(1);
  const requestDuration = new Histogram({
    name: 'qvirt_virt_api_request_duration_seconds',
    help: 'virt-api HTTP request latency by path and status code',
    labelNames: ['path', 'code'] as const,
    // Admission answers are sub-millisecond to a few ms; the apiserver gives up after 10 s.
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const admissionDecisions = new Counter({
    name: 'qvirt_virt_api_admission_decisions_total',
    help: 'Admission answers by webhook and outcome (allowed, denied, badRequest, error, invalidReview)',
    labelNames: ['webhook', 'outcome'] as const,
    registers: [registry],
  });
  return { registry, requestDuration, admissionDecisions };
}
