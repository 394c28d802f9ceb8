// A namespace of a bench's own on the local stack, removed afterwards with everything in it.
import type { KubeClient } from '@qvirt/kube';
import { eventually } from '@qvirt/testing';

/** Runs fn with namespace `ns` created (and its default ServiceAccount there); deletes it after and waits for it to go. */
export async function inNamespace<T>(client: KubeClient, ns: string, fn: () => Promise<T>): Promise<T> {
  await client.create('/api/v1/namespaces', { metadata: { name: ns } }).catch(() => undefined);
  await eventually('default ServiceAccount', () => client.get(`/api/v1/namespaces/${ns}/serviceaccounts/default`).then(() => true), { timeoutMs: 30_000 });
  try {
    return await fn();
  } finally {
    await client.delete(`/api/v1/namespaces/${ns}`).catch(() => undefined);
    await eventually(
      `namespace ${ns} gone`,
      async () =>
        !(await client.get(`/api/v1/namespaces/${ns}`).then(
          () => true,
          () => false,
        )),
      { timeoutMs: 300_000 },
    ).catch(() => undefined);
  }
}
