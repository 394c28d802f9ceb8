// Polling reads against the stack's API server, each with a reason when it gives up.
import { waitFor } from '@qvirt/testenv';
import type { KubeClient } from '@qvirt/kube';

export async function waitForValue<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>, abort?: () => string | undefined): Promise<T> {
  let value: T | undefined;
  await waitFor(
    async () => {
      value = await fn();
      return value !== undefined ? true : `${what}: not yet`;
    },
    { timeoutMs, intervalMs: 250, ...(abort ? { abort } : {}) },
  );
  return value as T;
}

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
