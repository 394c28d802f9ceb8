// Stops the stack's node and undoes what it changed on the host: containers (launchers shut
// their guests down on SIGTERM), the kubelet's and containerd's mounts, network namespaces,
// cgroups, the node's files, and the machine-wide sysctls the kubelet set.
import { access, readdir, readFile, readlink, realpath, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepPrinter } from '../steps.js';
import { step } from '../steps.js';
import { restoreSysctls } from './host-sysctls.js';
import { nodeNetworkDown, type NodeNetwork } from './node-network.js';
import type { NodePaths } from './node-paths.js';
import { run } from './run-command.js';

export interface NodeStopInput {
  readonly out: StepPrinter;
  readonly paths: NodePaths;
  readonly network: NodeNetwork;
  /** crictl from node-bin, when the stack knew it (a broken stack may not). */
  readonly crictl: string | undefined;
  readonly runDir: string;
  /** Seconds a container gets between SIGTERM and SIGKILL (a launcher's ACPI shutdown). */
  readonly containerGraceSeconds: number;
  readonly stopProcess: (name: string) => Promise<string | undefined>;
}

export async function stopNode(i: NodeStopInput): Promise<string[]> {
  const { out, paths: p } = i;
  const stopped: string[] = [];
  const note = (s: string | undefined) => void (s && stopped.push(s));

  // The kubelet first: it would restart what is stopped below.
  await step(out, 'stop the kubelet', undefined, async () => note(await i.stopProcess('kubelet')));

  await step(out, 'stop every container (SIGTERM: launchers shut their guests down), then the pod sandboxes', undefined, async () => {
    if (!i.crictl) return;
    const crictl = (...args: string[]) =>
      run([i.crictl!, '--runtime-endpoint', `unix://${p.containerdSocket}`, '--timeout', `${i.containerGraceSeconds + 30}s`, ...args], {
        timeoutMs: (i.containerGraceSeconds + 60) * 1000,
      });
    const ids = (await crictl('ps', '-q')).stdout.split('\n').filter(Boolean);
    await Promise.all(ids.map((id) => crictl('stop', '--timeout', String(i.containerGraceSeconds), id)));
    if (ids.length) stopped.push(`${ids.length} containers`);
    const pods = (await crictl('pods', '-q')).stdout.split('\n').filter(Boolean);
    for (const id of pods) await crictl('stopp', id);
    for (const id of pods) await crictl('rmp', '-f', id);
    if (pods.length) stopped.push(`${pods.length} pod sandboxes`);
  });

  await step(out, 'stop kube-proxy and containerd', undefined, async () => {
    note(await i.stopProcess('kube-proxy'));
    note(await i.stopProcess('containerd'));
    // Shims outlive containerd by design; with their containers gone they have nothing to keep.
    for (const pid of await processesRunning(['containerd-shim-runc-v2'])) {
      killHard(pid);
      stopped.push(`containerd-shim pid ${pid}`);
    }
  });

  await step(out, 'unmount the node’s mounts, remove network namespaces, cgroups and files', undefined, async () => {
    for (const m of await mountsUnder(await nodeMountPrefixes(p, i.runDir))) {
      const r = await run(['umount', m]);
      if (r.code !== 0) await run(['umount', '-l', m]);
    }
    for (const ns of (await readdir('/run/netns').catch(() => [] as string[])).filter((n) => n.startsWith('cni-'))) {
      await run(['ip', 'netns', 'del', ns]);
    }
    for (const c of nodeNetworkDown(i.network)) await run(c.argv);
    for (const dir of await cgroupRoots()) await removeCgroupTree(dir);
    for (const d of [...p.fixed, p.qatHost, i.runDir]) await rm(d, { recursive: true, force: true, maxRetries: 3 });
    const saved = JSON.parse(await readFile(p.savedSysctls, 'utf8').catch(() => '{}')) as Record<string, string>;
    stopped.push(...(await restoreSysctls(saved)).map((s) => `sysctl ${s}`));
  });
  return stopped;
}

/** What the node leaves behind if anything went wrong: each line names one thing. */
export async function nodeLeftovers(p: NodePaths, n: NodeNetwork, runDir: string): Promise<string[]> {
  const left: string[] = [];
  for (const pid of await processesRunning(['containerd', 'containerd-shim-runc-v2', 'kubelet', 'kube-proxy']))
    left.push(`process ${pid} (${await comm(pid)})`);
  for (const pid of await processesInCgroup('kubepods')) left.push(`process ${pid} (${await comm(pid)}) in a kubepods cgroup`);
  for (const m of await mountsUnder(await nodeMountPrefixes(p, runDir))) left.push(`mount ${m}`);
  for (const ns of await readdir('/run/netns').catch(() => [] as string[])) if (ns === n.netns || ns.startsWith('cni-')) left.push(`network namespace ${ns}`);
  if ((await run(['ip', 'link', 'show', n.hostIf])).code === 0) left.push(`link ${n.hostIf}`);
  for (const c of await cgroupRoots()) left.push(`cgroup ${c}`);
  for (const d of [...p.fixed, p.qatHost]) if (await exists(d)) left.push(`path ${d}`);
  const chains = (
    await run(['sh', '-c', 'for t in iptables-save ip6tables-save; do command -v $t >/dev/null && $t 2>/dev/null; done | grep -E "^:KUBE-" || true'])
  ).stdout.trim();
  if (chains)
    left.push(
      `host iptables chains: ${chains
        .split('\n')
        .map((l) => l.split(' ')[0])
        .join(', ')}`,
    );
  return left;
}

/** Where the node mounts things: the kubelet's volumes, containers' root filesystems, netns files, the shared run dir. */
async function nodeMountPrefixes(p: NodePaths, runDir: string): Promise<string[]> {
  return [p.kubeletRoot, p.containerdState, p.containerdRoot, '/run/netns/', runDir, await realpath(runDir).catch(() => runDir)];
}

/** Mount points at or below any prefix, deepest first (the order to unmount them in). */
async function mountsUnder(prefixes: readonly string[]): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const points = info
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => !!m)
    .map(unescapeMount);
  const under = points.filter((m) => prefixes.some((pre) => m === pre.replace(/\/$/, '') || m.startsWith(pre.endsWith('/') ? pre : `${pre}/`)));
  return [...new Set(under)].sort((a, b) => b.length - a.length);
}

const unescapeMount = (s: string) => s.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** `kubepods` directories in every cgroup hierarchy (v1 controllers and the unified one). */
async function cgroupRoots(): Promise<string[]> {
  const out: string[] = [];
  for (const h of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
    const d = join('/sys/fs/cgroup', h, 'kubepods');
    if (await exists(d)) out.push(d);
  }
  return out;
}

/** rmdir depth-first (a cgroup directory is removed with rmdir, never rm -r). */
async function removeCgroupTree(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) if (e.isDirectory()) await removeCgroupTree(join(dir, e.name));
  await rmdir(dir).catch(() => undefined);
}

async function processesRunning(names: readonly string[]): Promise<number[]> {
  const out: number[] = [];
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const c = await comm(Number(e));
    if (c && names.includes(c)) out.push(Number(e));
  }
  return out;
}

async function processesInCgroup(fragment: string): Promise<number[]> {
  const out: number[] = [];
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const cg = await readFile(`/proc/${e}/cgroup`, 'utf8').catch(() => '');
    if (cg.includes(`/${fragment}`)) out.push(Number(e));
  }
  return out;
}

async function comm(pid: number): Promise<string> {
  // comm is cut at 15 characters; the executable's name is not.
  const exe = await readlink(`/proc/${pid}/exe`).catch(() => '');
  return exe
    ? exe
        .split('/')
        .pop()!
        .replace(/ \(deleted\)$/, '')
    : (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
}

function killHard(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
