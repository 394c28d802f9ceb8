// virt-handler's Prometheus metrics. kubevirt_vmi_phase_count is virt-controller's: not here.
import type { QatDiscovery } from '@qvirt/qat';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HandlerMetrics {
  registry: Registry;
  setDiscovery(d: QatDiscovery): void;
  observeSync(durationMs: number, outcome: 'success' | 'requeue' | 'error'): void;
}

export function createHandlerMetrics(nodeName: string): HandlerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const vfs = new Gauge({
    name: 'qvirt_qat_vfs',
    help: 'QAT VFs advertised by this node, by resource and health',
    labelNames: ['node', 'resource', 'health'] as const,
    registers: [registry],
  });
  const sync = new Histogram({
    name: 'qvirt_handler_vmi_sync_duration_seconds',
    help: 'Duration of one virt-handler VMI sync (observe launcher/domain, act, write status)',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    setDiscovery(d) {
      vfs.reset();
      for (const [resource, list] of Object.entries(d.resources)) {
        for (const health of ['Healthy', 'Unhealthy'] as const) {
          vfs.set({ node: nodeName, resource, health }, list.filter((v) => v.health === health).length);
        }
      }
    },
    observeSync(ms, outcome) {
      sync.observe({ outcome }, ms / 1000);
    },
  };
}
