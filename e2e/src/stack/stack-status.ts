// Is there a stack in .stack/, and is all of it alive?
import { KubeClient, loadKubeConfig } from '@qvirt/kube';
import type { StackLayout } from './stack-layout.js';
import { isAlive, readPidFiles } from './stack-process.js';
import { readStackState, type StackState } from './stack-state.js';

export type StackStatus = { kind: 'none' } | { kind: 'running'; state: StackState } | { kind: 'broken'; why: string };

export async function stackStatus(l: StackLayout): Promise<StackStatus> {
  const pids = await readPidFiles(l.pids);
  const state = await readStackState(l);
  if (pids.length === 0 && !state) return { kind: 'none' };
  if (!state) return { kind: 'broken', why: 'processes from an unfinished `up` are left' };
  const dead = pids.filter((p) => !isAlive(p.pid)).map((p) => p.name);
  const missing = state.processes.filter((name) => !pids.some((p) => p.name === name));
  if (dead.length > 0 || missing.length > 0) return { kind: 'broken', why: `not running: ${[...dead, ...missing].join(', ')}` };
  const client = new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: l.kubeconfig }), timeoutMs: 5000 });
  try {
    await client.get('/version');
    return { kind: 'running', state };
  } catch (err) {
    return { kind: 'broken', why: `kube-apiserver not ready: ${(err as Error).message}` };
  } finally {
    await client.close();
  }
}
