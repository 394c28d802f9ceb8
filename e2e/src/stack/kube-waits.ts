// Probes of the stack's API server for `eventually` (@qvirt/testing).
import type { KubeClient } from '@qvirt/kube';

interface NodeView {
  status?: { allocatable?: Record<string, string>; conditions?: { type: string; status: string }[] };
}

export function nodeReady(client: KubeClient, name: string): () => Promise<NodeView | undefined> {
  return async () => {
    const n = await client.get<NodeView>(`/api/v1/nodes/${name}`).catch(() => undefined);
    return n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? n : undefined;
  };
}

export function nodeAllocatable(client: KubeClient, name: string, resource: string, atLeast: number): () => Promise<number | undefined> {
  return async () => {
    const n = await client.get<NodeView>(`/api/v1/nodes/${name}`).catch(() => undefined);
    const v = Number(n?.status?.allocatable?.[resource] ?? '0');
    return v >= atLeast ? v : undefined;
  };
}
