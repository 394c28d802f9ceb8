import { join } from 'node:path';
import { KubeClient, loadKubeConfig } from '@qvirt/kube';
import type { ControlPlane } from '@qvirt/testenv';
import { withUrlClientConfig, type WebhookConfigurationDoc } from '../../src/webhooks/webhook-client-config.js';
import { loadDocs } from './manifests.js';
import { repoRoot } from './virt-api-process.js';

export async function kubectlOk(cp: ControlPlane, args: string[], stdin?: string): Promise<string> {
  const r = await cp.kubectl(args, stdin === undefined ? {} : { stdin });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/**
 * CRDs for real (server-side apply, wait until established), then from deploy/base: the
 * namespace, the kubevirt-config ConfigMap and virt-api's RBAC: the same files the base uses.
 */
export async function prepareCluster(cp: ControlPlane): Promise<void> {
  await kubectlOk(cp, ['apply', '--server-side', '-f', join(repoRoot, 'deploy/crds')]);
  await kubectlOk(cp, ['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
  for (const f of ['deploy/base/namespace.yaml', 'deploy/base/kubevirt-config.yaml', 'deploy/base/virt-api/rbac.yaml']) {
    await kubectlOk(cp, ['apply', '-f', join(repoRoot, f)]);
  }
}

/** deploy/base/virt-api/webhooks.yaml with the Service replaced by https://127.0.0.1:<port> (and a caBundle, if given). */
export function urlWebhookConfigurations(port: number, caPem: string | undefined): WebhookConfigurationDoc[] {
  return loadDocs<WebhookConfigurationDoc>('deploy/base/virt-api/webhooks.yaml').map((doc) => {
    const out = withUrlClientConfig(doc, `https://127.0.0.1:${port}`, caPem ?? '');
    if (caPem === undefined) for (const w of out.webhooks ?? []) delete w.clientConfig.caBundle;
    return out;
  });
}

export async function applyDocs(cp: ControlPlane, docs: object[]): Promise<void> {
  await kubectlOk(cp, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
}

export function adminClient(cp: ControlPlane): KubeClient {
  return new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: cp.kubeconfigPath }) });
}
