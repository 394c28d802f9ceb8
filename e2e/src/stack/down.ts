// `npm run down`: stops what `up` started and checks that nothing is left: the node first (its
// containers get SIGTERM, so each launcher shuts its guest down over ACPI), then the control plane.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeLeftovers, stopNode } from './node/node-stop.js';
import { NODE_NETWORK } from './node/node-network.js';
import { nodePaths } from './node/node-paths.js';
import type { StackLayout } from './stack-layout.js';
import { isAlive, readPidFiles, removePidFile, stopGroup } from './stack-process.js';
import { readStackState } from './stack-state.js';
import { step, type StepPrinter } from './steps.js';

export interface DownResult {
  stopped: string[];
  leftovers: string[];
}

export async function stopStack(l: StackLayout, out: StepPrinter, opts: { containerGraceSeconds?: number } = {}): Promise<DownResult> {
  const stopped: string[] = [];
  const state = await readStackState(l);
  const paths = nodePaths(l.root);
  const stopProcess = async (name: string): Promise<string | undefined> => {
    for (const p of await readPidFiles(l.pids)) {
      if (p.name !== name) continue;
      const how = await stopGroup(p.pid, 20_000);
      await removePidFile(p);
      if (how !== 'gone') return `${name} (${how})`;
    }
    return undefined;
  };
  // A stack that broke before it wrote its state still has node-bin where setup put it.
  const crictl = state?.nodeBinDir ? join(state.nodeBinDir, 'crictl') : undefined;
  stopped.push(
    ...(await stopNode({ out, paths, network: NODE_NETWORK, crictl, runDir: l.runDir, containerGraceSeconds: opts.containerGraceSeconds ?? 45, stopProcess })),
  );

  await step(out, 'stop kube-controller-manager, kube-scheduler, kube-apiserver, etcd', join(l.controlPlane), async () => {
    for (const p of await readPidFiles(l.pids)) {
      const how = await stopGroup(p.pid, 10_000);
      if (how !== 'gone') stopped.push(`${p.name} (${how})`);
      await removePidFile(p);
    }
  });

  const leftovers = await step(out, 'check for leftovers', undefined, async () => {
    const left = await nodeLeftovers(paths, NODE_NETWORK, l.runDir);
    for (const p of await readPidFiles(l.pids)) if (isAlive(p.pid)) left.push(`pid ${p.pid} (${p.name})`);
    return left;
  });
  if (leftovers.length === 0) await rm(l.stateFile, { force: true });
  return { stopped, leftovers };
}
