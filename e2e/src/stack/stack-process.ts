// The stack's long-lived host processes (the node's containerd, kubelet, kube-proxy): testenv's
// ManagedProcess in its persistent form, plus a pid file so `down` (another process) can stop them.
import { readFileSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManagedProcess } from '@qvirt/testenv';
import { eventually } from '@qvirt/testing';

export interface StartedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  readonly proc: ManagedProcess;
}

export async function startStackProcess(o: {
  name: string;
  order: number;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  logs: string;
  pids: string;
  cwd: string;
}): Promise<StartedProcess> {
  const logPath = join(o.logs, `${o.name}.log`);
  const proc = new ManagedProcess({
    name: o.name,
    command: o.command,
    args: o.args,
    logPath,
    cwd: o.cwd,
    env: { ...process.env, ...(o.env ?? {}) },
    keepRunningAfterExit: true,
  });
  await writeFile(join(o.pids, `${String(o.order).padStart(2, '0')}-${o.name}.pid`), `${proc.pid}\n`);
  return { name: o.name, pid: proc.pid, logPath, proc };
}

export interface PidFile {
  readonly file: string;
  readonly name: string;
  readonly pid: number;
}

/** The pid files under `dir`, highest order first (the order to stop them in). */
export async function readPidFiles(dir: string): Promise<PidFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: PidFile[] = [];
  for (const f of names
    .filter((n) => n.endsWith('.pid'))
    .sort()
    .reverse()) {
    const pid = Number((await readFile(join(dir, f), 'utf8')).trim());
    if (Number.isInteger(pid) && pid > 1) out.push({ file: join(dir, f), name: f.replace(/^\d+-/, '').replace(/\.pid$/, ''), pid });
  }
  return out;
}

export function isAlive(pid: number): boolean {
  return procStartTime(pid) !== undefined;
}

/** Field 22 of /proc/<pid>/stat, or undefined when the process is gone or a zombie. */
export function procStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  return fields[19];
}

/** SIGTERM to the process group, SIGKILL after graceMs; resolves when the leader is gone. */
export async function stopGroup(pid: number, graceMs: number): Promise<'gone' | 'terminated' | 'killed'> {
  if (!isAlive(pid)) return 'gone';
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      try {
        process.kill(pid, s);
      } catch {
        // gone
      }
    }
  };
  const exited = (timeoutMs: number) =>
    eventually(`pid ${pid} gone`, () => !isAlive(pid), { timeoutMs, intervalMs: 100 }).then(
      () => true,
      () => false,
    );
  signal('SIGTERM');
  const terminated = await exited(graceMs);
  signal('SIGKILL'); // the leader, or the leftovers in its group
  if (terminated) return 'terminated';
  await exited(5_000);
  return 'killed';
}

export async function removePidFile(p: PidFile): Promise<void> {
  await rm(p.file, { force: true });
}
