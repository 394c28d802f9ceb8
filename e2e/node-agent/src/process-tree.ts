// Every process that belongs to a pod: the shim's descendants, plus whatever lives in a private pid
// namespace one of them created (a launcher's libvirtd and QEMU daemonize out of the tree, but stay
// in the namespace). Without cgroups this is how the node kills a whole pod.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

interface ProcInfo {
  pid: number;
  ppid: number;
  pidNs: string | null;
}

function scan(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      let ns: string | null = null;
      try {
        ns = readlinkSync(`/proc/${e}/ns/pid`);
      } catch {
        ns = null;
      }
      out.push({ pid: Number(e), ppid: Number(fields[1]), pidNs: ns });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The pids of root's tree and of every pid namespace (other than ours) entered inside it. */
export function podProcessTree(rootPid: number): number[] {
  const procs = scan();
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const tree = new Set<number>();
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (tree.has(pid) || !procs.some((p) => p.pid === pid)) continue;
    tree.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  let own: string | null = null;
  try {
    own = readlinkSync('/proc/self/ns/pid');
  } catch {
    own = null;
  }
  const namespaces = new Set(procs.filter((p) => tree.has(p.pid) && p.pidNs !== null && p.pidNs !== own).map((p) => p.pidNs));
  for (const p of procs) if (p.pidNs !== null && namespaces.has(p.pidNs)) tree.add(p.pid);
  return [...tree];
}

/** SIGKILL to every process of the pod. Returns how many were signalled. */
export function killPodProcesses(rootPid: number): number {
  let n = 0;
  for (const pid of podProcessTree(rootPid)) {
    try {
      process.kill(pid, 'SIGKILL');
      n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}
