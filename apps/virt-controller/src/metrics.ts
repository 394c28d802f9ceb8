import { Gauge, Histogram, Registry } from 'prom-client';
import type { VirtualMachineInstance, VmiPhase } from '@qvirt/api';

export const PHASE_TRANSITION_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 40, 50, 60, 90, 120, 180, 300, 600];

export interface ControllerMetrics {
  registry: Registry;
  setQueueDepth(queue: string, depth: number): void;
  observeReconcile(controller: string, durationMs: number, outcome: string): void;
  /** Called on every VMI update seen by the informer; records a histogram sample when the phase changed. */
  observeVmiUpdate(vmi: VirtualMachineInstance, old: VirtualMachineInstance | undefined): void;
  setLeading(leading: boolean): void;
}

/** Seconds from creation to the transition into `phase`, from status.phaseTransitionTimestamps. */
export function secondsFromCreation(vmi: VirtualMachineInstance, phase: VmiPhase): number | undefined {
  const created = Date.parse(vmi.metadata.creationTimestamp ?? '');
  const t = vmi.status?.phaseTransitionTimestamps?.filter((p) => p.phase === phase).at(-1);
  const at = Date.parse(t?.phaseTransitionTimestamp ?? '');
  if (Number.isNaN(created) || Number.isNaN(at)) return undefined;
  return Math.max(0, (at - created) / 1000);
}

/** KubeVirt's VMI metrics plus work-queue depth and reconcile latency, on their own registry. */
export function createControllerMetrics(opts: { listVmis: () => VirtualMachineInstance[] }): ControllerMetrics {
  const registry = new Registry();
  new Gauge({
    name: 'kubevirt_vmi_phase_count',
    help: 'VMIs per phase and node (from the informer cache at scrape time)',
    labelNames: ['phase', 'node'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, { phase: string; node: string; n: number }>();
      for (const vmi of opts.listVmis()) {
        const phase = (vmi.status?.phase ?? 'Pending').toLowerCase();
        const node = vmi.status?.nodeName ?? '';
        const k = `${phase}\u0000${node}`;
        const c = counts.get(k) ?? { phase, node, n: 0 };
        c.n++;
        counts.set(k, c);
      }
      for (const c of counts.values()) this.set({ phase: c.phase, node: c.node }, c.n);
    },
  });
  const transitions = new Histogram({
    name: 'kubevirt_vmi_phase_transition_time_from_creation_seconds',
    help: 'Seconds from VMI creation to each phase transition',
    labelNames: ['phase'] as const,
    buckets: PHASE_TRANSITION_BUCKETS,
    registers: [registry],
  });
  const depth = new Gauge({
    name: 'kubevirt_virt_controller_workqueue_depth',
    help: 'Keys waiting in a work queue',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'kubevirt_virt_controller_reconcile_duration_seconds',
    help: 'Duration of one reconcile',
    labelNames: ['controller', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const leading = new Gauge({ name: 'kubevirt_virt_controller_leading_status', help: '1 while this replica holds the leader lease', registers: [registry] });
  return {
    registry,
    setQueueDepth: (queue, n) => depth.set({ queue }, n),
    observeReconcile: (controller, ms, outcome) => latency.observe({ controller, outcome }, ms / 1000),
    observeVmiUpdate(vmi, old) {
      const phase = vmi.status?.phase;
      if (!phase || phase === old?.status?.phase) return;
      const s = secondsFromCreation(vmi, phase);
      if (s !== undefined) transitions.observe({ phase: phase.toLowerCase() }, s);
    },
    setLeading: (on) => leading.set(on ? 1 : 0),
  };
}
