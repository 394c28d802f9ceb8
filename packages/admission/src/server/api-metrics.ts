import { BoundCounter, BoundHistogram, metricsText } from './bound-metrics.js';
import { Gauge, Registry } from 'prom-client';

/**
 * virt-api's metrics on their own registry (no globals, so tests and several servers don't
 * collide). The two per-request families are bound once per route (BoundHistogram/BoundCounter):
 * prom-client's label hashing cost more than the rest of an admission's bookkeeping.
 */
export interface ApiMetrics {
  registry: Registry;
  requestDuration: BoundHistogram<'path' | 'code'>;
  admissionDecisions: BoundCounter<'webhook' | 'outcome'>;
  /** The /metrics document: the registry and the bound families. */
  text(): Promise<string>;
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  const up = new Gauge({ name: 'kubevirt_virt_api_up', help: 'virt-api is up and serving (KubeVirt name)', registers: [registry] });
  up.set(1);
  const requestDuration = new BoundHistogram({
    name: 'qvirt_virt_api_request_duration_seconds',
    help: 'virt-api HTTP request latency by path and status code',
    labelNames: ['path', 'code'],
    // Admission answers are sub-millisecond to a few ms; the apiserver gives up after 10 s.
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  });
  const admissionDecisions = new BoundCounter({
    name: 'qvirt_virt_api_admission_decisions_total',
    help: 'Admission answers by webhook and outcome (allowed, denied, badRequest, error, invalidReview, notReady)',
    labelNames: ['webhook', 'outcome'],
  });
  return { registry, requestDuration, admissionDecisions, text: () => metricsText(registry, [requestDuration, admissionDecisions]) };
}
