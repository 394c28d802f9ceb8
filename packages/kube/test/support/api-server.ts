import { join, resolve } from 'node:path';
import { startControlPlane, type ControlPlane } from '@qvirt/testenv';
import { KubeClient, loadKubeConfig, type KubeConfigLike } from '../../src/index.js';

const repoRoot = resolve(import.meta.dirname, '../../../..');

export interface TestApiServer {
  cp: ControlPlane;
  admin: KubeClient;
  kubeConfig: KubeConfigLike;
  stop(): Promise<void>;
}

/** A real kube-apiserver (+ etcd) with qvirt's CRDs established and the given namespaces created. */
export async function startTestApiServer(namespaces: readonly string[]): Promise<TestApiServer> {
  const cp = await startControlPlane();
  const r = await cp.kubectl(['apply', '-f', join(repoRoot, 'deploy/crds')]);
  if (r.code !== 0) throw new Error(r.stderr);
  await cp.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/virtualmachineinstances.kubevirt.io', 'crd/kubevirts.kubevirt.io']);
  const kubeConfig = loadKubeConfig({ kubeconfigPath: cp.kubeconfigPath });
  const admin = new KubeClient({ kubeConfig });
  for (const name of namespaces) await admin.create('/api/v1/namespaces', { metadata: { name } });
  return {
    cp,
    admin,
    kubeConfig,
    async stop() {
      await admin.close();
      await cp.stop();
    },
  };
}
