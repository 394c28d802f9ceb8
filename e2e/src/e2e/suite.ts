// What every e2e suite does around its tests: a cluster with the e2e namespace and none of an
// earlier run's VMIs before, and no VMI of its own left after.
import { e2eCluster, type E2eCluster } from './cluster.js';
import { cleanup, ensureNamespace } from './vmis.js';

export async function openSuite(): Promise<E2eCluster> {
  const k = await e2eCluster();
  await ensureNamespace(k.client);
  await cleanup(k.client);
  return k;
}

export async function closeSuite(k: E2eCluster | undefined): Promise<void> {
  if (!k) return;
  try {
    await cleanup(k.client);
  } finally {
    await k.client.close();
  }
}
