// The cluster an e2e suite runs against: QVIRT_E2E_KUBECONFIG (any cluster, e.g. kind), else the
// local stack (.stack/), started on first use by this test run and stopped by its global teardown.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeClient, loadKubeConfig } from '@qvirt/kube';
import { stopStack } from '../stack/down.js';
import { repoRoot } from '../stack/repo-root.js';
import { runKubectlFor } from '../stack/stack-kubectl.js';
import { stackLayout, type StackLayout } from '../stack/stack-layout.js';
import { stackStatus } from '../stack/stack-status.js';
import { startStack } from '../stack/up.js';
import { localControl, remoteControl, type ComponentControl } from './component-control.js';
import { OWNER_FILE, RUN_ID_ENV } from './run-owner.js';

export interface E2eCluster {
  readonly kubeconfig: string;
  readonly client: KubeClient;
  readonly kubectl: (args: string[], stdin?: string) => Promise<string>;
  /** Kill and restart the components (local: the processes; any cluster: their pods). */
  readonly control: ComponentControl;
  /** Only on the local stack: the node's files, to check that no VM process or socket is left. */
  readonly local: StackLayout | undefined;
  /** The node VMIs land on and its QAT VFs. */
  readonly qatVfs: number;
}


export async function e2eCluster(env: Readonly<Record<string, string | undefined>> = process.env): Promise<E2eCluster> {
  const external = env['QVIRT_E2E_KUBECONFIG'];
  if (external) {
    const client = new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: external }) });
    const kubectl = runKubectlFor(env['QVIRT_E2E_KUBECTL_DIR'] ?? '', external);
    return { kubeconfig: external, client, kubectl, control: remoteControl(kubectl), local: undefined, qatVfs: Number(env['QVIRT_E2E_QAT_VFS'] ?? '16') };
  }
  const layout = stackLayout(repoRoot());
  let status = await stackStatus(layout);
  if (status.kind !== 'running') {
    const agent = join(layout.repo, 'e2e/dist/node-agent/src/main.js');
    if (!existsSync(agent)) throw new Error(`${agent} is missing: build first (npm run build, or npm test which runs setup)`);
    const out = { write: (t: string) => void process.stderr.write(t) };
    if (status.kind === 'broken') await stopStack(layout, out);
    await startStack({ layout, out, nodeBin: process.execPath });
    // The global teardown stops what this run started (and only that).
    await writeFile(join(layout.root, OWNER_FILE), env[RUN_ID_ENV] ?? 'unknown');
    status = await stackStatus(layout);
    if (status.kind !== 'running') throw new Error(`the local stack did not come up: ${status.kind === 'broken' ? status.why : 'no stack'}`);
  }
  const client = new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: layout.kubeconfig }) });
  return {
    kubeconfig: layout.kubeconfig,
    client,
    kubectl: runKubectlFor(status.state.binDir, layout.kubeconfig),
    control: localControl(layout),
    local: layout,
    qatVfs: 16,
  };
}
