// The local stack for a bench: the running one, or one started here and stopped again afterwards.
import { KubeClient, loadKubeConfig } from '@qvirt/kube';
import { repoRoot, stackLayout, stackStatus, startStack, stopStack, type StackLayout, type StackState } from '@qvirt/e2e/stack';

export interface StackSession {
  readonly layout: StackLayout;
  readonly state: StackState;
  readonly client: KubeClient;
}

export async function withStack<T>(fn: (s: StackSession) => Promise<T>): Promise<T> {
  const layout = stackLayout(repoRoot());
  const log = (t: string) => void process.stderr.write(t);
  let started = false;
  let status = await stackStatus(layout);
  if (status.kind !== 'running') {
    if (status.kind === 'broken') await stopStack(layout, { write: log });
    await startStack({ layout, out: { write: log } });
    started = true;
    status = await stackStatus(layout);
    if (status.kind !== 'running') throw new Error(`the local stack did not come up: ${status.kind === 'broken' ? status.why : 'no stack'}`);
  }
  const client = new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: layout.kubeconfig }) });
  try {
    return await fn({ layout, state: status.state, client });
  } finally {
    await client.close();
    if (started) await stopStack(layout, { write: log });
  }
}
