// `.stack/stack.json`: what a running stack is made of, written by `up`, read by `down`, the e2e
// suite and the density bench.
import { readFile, writeFile } from 'node:fs/promises';
import type { NodeProcessSpec } from './node/node-start.js';
import type { StackLayout, StackPorts } from './stack-layout.js';

export interface StackState {
  readonly server: string;
  readonly node: string;
  readonly ports: StackPorts;
  readonly kubeconfig: string;
  /** kube-bin's directory: kubectl, kubelet, ... */
  readonly binDir: string;
  /** node-bin's directory: containerd, ctr, crictl. */
  readonly nodeBinDir: string;
  /** The host processes `up` started (pid files), by name. */
  readonly processes: readonly string[];
  /** The node's processes and their command lines. */
  readonly nodeProcesses: readonly NodeProcessSpec[];
  /** Control-plane logs by component. */
  readonly controlPlaneLogs: Readonly<Record<string, string>>;
  readonly startedAt: string;
}

export async function writeStackState(layout: StackLayout, s: StackState): Promise<void> {
  await writeFile(layout.stateFile, JSON.stringify(s, null, 2));
}

export async function readStackState(layout: StackLayout): Promise<StackState | undefined> {
  try {
    return JSON.parse(await readFile(layout.stateFile, 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}
