// `npm run down`: stops what `up` started and checks that nothing is left: components first (so
// nothing recreates pods), then the VM launchers (SIGTERM: each shuts its guest down over ACPI;
// SIGKILL to the whole pod after a grace period), then the control plane.
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { podProcessTree } from '../../node-agent/src/process-tree.js';
import { podFiles, readCheckpoints } from '../../node-agent/src/pod-checkpoint.js';
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
      // The launcher keeps <run-dir>/<vmi-uid> (console, logs) for the handler, which is gone now.
      const vmiUid = t.cp.argv?.[(t.cp.argv?.indexOf('--vmi-uid') ?? -2) + 1];
      if (vmiUid && /^[A-Za-z0-9._-]+$/.test(vmiUid) && vmiUid !== '..') {
        await rm(join(l.runDir, vmiUid), { recursive: true, force: true });
        await rm(join(l.runDir, 'sockets', `${vmiUid}.sock`), { force: true });
      }
      await mkdir(join(l.logs, 'pods'), { recursive: true });
      await rename(podFiles(l.nodeAgentState, t.cp.podUid).log, join(l.logs, 'pods', `${t.cp.namespace}_${t.cp.name}.log`)).catch(() => undefined);
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
    // Strays: anything else started from the stack's files (e.g. a component restarted by hand).
    for (const stray of await processesMentioning(l.root)) {
      try {
        process.kill(stray.pid, 'SIGKILL');
        stopped.push(`stray pid ${stray.pid} (killed)`);
      } catch {
        // gone
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    left.push(...(await processesMentioning(l.root)).filter((p) => isAlive(p.pid)).map((p) => `pid ${p.pid}: ${p.cmd}`));
    for (const d of [l.devicePlugins]) {
      for (const f of await readdir(d).catch(() => [] as string[])) if (f.endsWith('.sock')) await rm(join(d, f), { force: true });
    }
    await rm(join(l.nodeAgentState, 'pods'), { recursive: true, force: true });
    if (left.length === 0) await rm(l.stateFile, { force: true });
    return left;
  });
  return { stopped, leftovers };
}

/** Processes whose command line names the stack directory (anything `up` started, however it forked). */
async function processesMentioning(dir: string): Promise<{ pid: number; cmd: string }[]> {
  const out: { pid: number; cmd: string }[] = [];
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    const cmd = await readFile(`/proc/${e}/cmdline`, 'utf8').catch(() => '');
    // The directory as an argument (or a path below it), not just a prefix of another name.
    if (cmd.split('\0').some((a) => a === dir || a.includes(`${dir}/`)) && isAlive(Number(e))) out.push({ pid: Number(e), cmd: cmd.replace(/\0/g, ' ').trim().slice(0, 200) });
  }
  return out;
}
