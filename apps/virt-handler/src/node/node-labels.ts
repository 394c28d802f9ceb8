// The labels virt-handler keeps on its Node (pure): QAT facts for scheduling and the
// KubeVirt schedulable mark.
import { Labels } from '@qvirt/api';
import type { QatDiscovery } from '@qvirt/qat';

/** label -> value; null removes the label. */
export type NodeLabels = Record<string, string | null>;

export function desiredNodeLabels(discovery: QatDiscovery): NodeLabels {
  const vfs = Object.values(discovery.resources).flat();
  const healthy = vfs.filter((v) => v.health === 'Healthy');
  // Label values allow [A-Za-z0-9_.-]: several generations on one node are joined with '.'.
  const generations = [...new Set(vfs.map((v) => v.generation))].sort();
  return {
    [Labels.qatGeneration]: generations.length > 0 ? generations.join('.') : null,
    [Labels.qatVfs]: vfs.length > 0 ? String(healthy.length) : null,
    [Labels.schedulable]: 'true',
  };
}

/** The metadata.labels merge patch that makes `current` match `desired`, or undefined when it does. */
export function nodeLabelPatch(current: Readonly<Record<string, string>> | undefined, desired: NodeLabels): NodeLabels | undefined {
  const patch: NodeLabels = {};
  for (const [k, v] of Object.entries(desired)) {
    const cur = current?.[k];
    if (v === null ? cur !== undefined : cur !== v) patch[k] = v;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}
