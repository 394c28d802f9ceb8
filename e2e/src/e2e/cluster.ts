// The cluster an e2e suite runs against: QVIRT_E2E_KUBECONFIG (any cluster, e.g. kind), else the
// local stack (.stack/), started on first use by this test run and stopped by its global teardown.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeClient, loadKubeConfig } from '@qvirt/kube';
import { stopStack } from '../stack/down.js';
import { STACK_QAT_VFS } from '../stack/node/simulated-qat-host.js';
import { repoRoot } from '../stack/repo-root.js';
import { runKubectlFor } from '../stack/stack-kubectl.js';
import { stackLayout, type StackLayout } from '../stack/stack-layout.js';
import { stackStatus } from '../stack/stack-status.js';
import { startStack } from '../stack/up.js';
import { nodeControl, podControl, type ComponentControl, type NodeControl } from './component-control.js';
import { OWNER_FILE, RUN_ID_ENV } from './run-owner.js';

export interface E2eCluster {
  readonly kubeconfig: string;
  readonly client: KubeClient;
  readonly kubectl: (args: string[], stdin?: string) => Promise<string>;
  /** Kill and restart the components (their pods, on any cluster). */
  readonly control: ComponentControl;
  /** Only on the local stack: the node's files, to check that no VM process or socket is left. */
  readonly local: StackLayout | undefined;
  /** Only on the local stack: the node's kubelet, containerd and kube-proxy. */
  readonly node: NodeControl | undefined;
  /** The node VMIs land on and its QAT VFs. */
  readonly qatVfs: number;
}

export async function e2eCluster(env: Readonly<Record<string, string | undefined>> = process.env): Promise<E2eCluster> {
  const external = env['QVIRT_E2E_KUBECONFIG'];
  if (external) {
    const client = new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: external }) });
    const kubectl = runKubectlFor(env['QVIRT_E2E_KUBECTL_DIR'] ?? '', external);
    return {
      kubeconfig: external,
      client,
      kubectl,
      control: podControl(kubectl),
      local: undefined,
      node: undefined,
      qatVfs: Number(env['QVIRT_E2E_QAT_VFS'] ?? '16'),
    };
  }
  const layout = stackLayout(repoRoot());
  let status = await stackStatus(layout);
  if (status.kind !== 'running') {
    const out = { write: (t: string) => void process.stderr.write(t) };
    if (status.kind === 'broken') await stopStack(layout, out);
    await startStack({ layout, out });
    // The global teardown stops what this run started (and only that).
    await writeFile(join(layout.root, OWNER_FILE), env[RUN_ID_ENV] ?? 'unknown');
    status = await stackStatus(layout);
    if (status.kind !== 'running') throw new Error(`the local stack did not come up: ${status.kind === 'broken' ? status.why : 'no stack'}`);
  }
  const client = new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: layout.kubeconfig }) });
  const kubectl = runKubectlFor(status.state.binDir, layout.kubeconfig);
  return {
    kubeconfig: layout.kubeconfig,
    client,
    kubectl,
    control: podControl(kubectl),
    local: layout,
    node: nodeControl(layout),
    qatVfs: STACK_QAT_VFS,
  };
}
