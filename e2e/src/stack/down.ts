// `npm run down`: stops what `up` started and checks that nothing is left: components first (so
// nothing recreates pods), then the VM launchers (SIGTERM: each shuts its guest down over ACPI;
// SIGKILL to the whole pod after a grace period), then the control plane.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { podProcessTree } from '../../node-agent/src/process-tree.js';
import { readCheckpoints } from '../../node-agent/src/pod-checkpoint.js';
import type { StackLayout } from './stack-layout.js';
import { isAlive, readPidFiles, removePidFile, stopGroup } from './stack-process.js';
import { step, type StepPrinter } from './steps.js';

export interface DownResult {
  stopped: string[];
  leftovers: string[];
}

const COMPONENT_ORDER_MIN = 10;

export async function stopStack(l: StackLayout, out: StepPrinter, opts: { launcherGraceMs?: number } = {}): Promise<DownResult> {
  const stopped: string[] = [];
  const pidFiles = await readPidFiles(l.pids);
  const isComponent = (f: string) => Number(/(\d+)-[^/]*\.pid$/.exec(f)?.[1] ?? '0') >= COMPONENT_ORDER_MIN;

  await step(out, 'stop virt-controller, virt-handler, node agent, virt-api', join(l.logs), async () => {
    for (const p of pidFiles.filter((f) => isComponent(f.file))) {
      const how = await stopGroup(p.pid, 10_000);
      if (how !== 'gone') stopped.push(`${p.name} (${how})`);
      await removePidFile(p);
    }
  });

  const launchers = await step(out, 'stop VM launchers (ACPI shutdown, then SIGKILL)', join(l.nodeAgentState, 'pods'), async () => {
    const cps = await readCheckpoints(l.nodeAgentState, () => undefined);
    const trees = cps.map((cp) => ({ cp, pids: podProcessTree(cp.shimPid) }));
    for (const t of trees) {
      try {
        process.kill(t.cp.shimPid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    const deadline = Date.now() + (opts.launcherGraceMs ?? 45_000);
    while (Date.now() < deadline && trees.some((t) => t.pids.some(isAlive))) await new Promise((r) => setTimeout(r, 200));
    for (const t of trees) {
      const alive = t.pids.filter(isAlive);
      for (const pid of alive) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      stopped.push(`launcher ${t.cp.namespace}/${t.cp.name} (${alive.length > 0 ? `${alive.length} processes killed` : 'shut down'})`);
      await rm(join(l.runDir, t.cp.podUid), { recursive: true, force: true });
      await rm(join(l.runDir, 'sockets', `${t.cp.podUid}.sock`), { force: true });
    }
    return trees;
  });

  await step(out, 'stop kube-controller-manager, kube-scheduler, kube-apiserver, etcd', join(l.controlPlane), async () => {
    for (const p of (await readPidFiles(l.pids)).filter((f) => !isComponent(f.file))) {
      const how = await stopGroup(p.pid, 10_000);
      if (how !== 'gone') stopped.push(`${p.name} (${how})`);
      await removePidFile(p);
    }
  });

  const leftovers = await step(out, 'check for leftovers', undefined, async () => {
    const left: string[] = [];
    for (const t of launchers) for (const pid of t.pids) if (isAlive(pid)) left.push(`pid ${pid} of launcher ${t.cp.name}`);
    left.push(...(await processesMentioning(l.root)));
    for (const d of [l.devicePlugins]) {
      for (const f of await readdir(d).catch(() => [] as string[])) if (f.endsWith('.sock')) await rm(join(d, f), { force: true });
    }
    await rm(join(l.nodeAgentState, 'pods'), { recursive: true, force: true });
    return left;
  });
  return { stopped, leftovers };
}

/** Processes whose command line names the stack directory (anything `up` started, however it forked). */
async function processesMentioning(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    const cmd = await readFile(`/proc/${e}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(dir) && isAlive(Number(e))) out.push(`pid ${e}: ${cmd.replace(/\0/g, ' ').trim().slice(0, 200)}`);
  }
  return out;
}
