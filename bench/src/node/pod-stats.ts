// Pod memory as the kubelet reports it (/stats/summary through the apiserver's node proxy):
// the working set of the pod's cgroup, which is what eviction and `kubectl top` use.
import type { KubeClient } from '@qvirt/kube';

export interface PodMemory {
  readonly namespace: string;
  readonly name: string;
  readonly workingSetBytes: number;
}

interface Summary {
  pods?: { podRef: { name: string; namespace: string }; memory?: { workingSetBytes?: number } }[];
}

export async function podMemory(client: KubeClient, node: string): Promise<PodMemory[]> {
  const s = await client.get<Summary>(`/api/v1/nodes/${node}/proxy/stats/summary`);
  return (s.pods ?? []).map((p) => ({ namespace: p.podRef.namespace, name: p.podRef.name, workingSetBytes: p.memory?.workingSetBytes ?? 0 }));
}

/** Running peaks by a group name (e.g. the component a pod belongs to). */
export class PeakByGroup {
  readonly peaks = new Map<string, number>();

  add(group: string, bytes: number): void {
    if (bytes > (this.peaks.get(group) ?? 0)) this.peaks.set(group, bytes);
  }
}
