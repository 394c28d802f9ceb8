import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { writeKubeconfig } from './kubeconfig-file.js';

export interface ServiceAccountKubeconfigInput {
  admin: KubeConfig;
  server: string;
  caPem: string;
  dir: string;
  namespace: string;
  name: string;
  /** Token lifetime; default 24 h. */
  expirationSeconds?: number;
}

const isConflict = (err: unknown): boolean => (err as { code?: number } | null)?.code === 409;

async function createIfMissing(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
}

/** Ensures namespace + ServiceAccount exist, gets a token via the TokenRequest API and writes a kubeconfig for it. */
export async function serviceAccountKubeconfig(i: ServiceAccountKubeconfigInput): Promise<string> {
  const core = i.admin.makeApiClient(CoreV1Api);
  await createIfMissing(() => core.createNamespace({ body: { metadata: { name: i.namespace } } }));
  await createIfMissing(() => core.createNamespacedServiceAccount({ namespace: i.namespace, body: { metadata: { name: i.name } } }));
  const tr = await core.createNamespacedServiceAccountToken({
    namespace: i.namespace,
    name: i.name,
    body: { spec: { audiences: [], expirationSeconds: i.expirationSeconds ?? 24 * 3600 } },
  });
  const token = tr.status?.token;
  if (!token) throw new Error(`TokenRequest for ServiceAccount ${i.namespace}/${i.name} returned no token`);
  return writeKubeconfig(join(i.dir, `sa-${i.namespace}-${i.name}.kubeconfig`), {
    server: i.server,
    caPem: i.caPem,
    userName: `system:serviceaccount:${i.namespace}:${i.name}`,
    user: { token },
    namespace: i.namespace,
  });
}
