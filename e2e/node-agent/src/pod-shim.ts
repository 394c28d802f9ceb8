// How a pod's process runs: under a small sh "shim" (the containerd-shim's job, reduced). The
// shim is the leader of a new process group, forwards SIGTERM/SIGINT to the program once, and
// writes the program's exit code to a file, so an agent that restarted can still read how a
// pod it did not start ended.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { podProcessTree } from './process-tree.js';

const SHIM = `exit_file=$1; shift
trap 'kill -TERM "$child" 2>/dev/null' TERM
trap 'kill -INT "$child" 2>/dev/null' INT
"$@" &
child=$!
while :; do
  wait "$child"; rc=$?
  kill -0 "$child" 2>/dev/null || break
done
echo "$rc" > "$exit_file.tmp" && mv -f "$exit_file.tmp" "$exit_file"
exit "$rc"`;

export interface ShimSpawnOptions {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly logPath: string;
  readonly exitFile: string;
}

export interface ShimProcess {
  readonly pid: number;
  /** /proc/<pid>/stat starttime: tells our shim from a later process that reused the pid. */
  readonly startTime: string;
  /** Only for shims this agent started (not for ones adopted after a restart). */
  readonly child?: ChildProcess;
}

export class ShimSpawnError extends Error {
  override readonly name = 'ShimSpawnError';
}

export function spawnShim(o: ShimSpawnOptions): ShimProcess {
  const fd = openSync(o.logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', SHIM, 'qvirt-pod-shim', o.exitFile, ...o.argv], {
      cwd: o.cwd,
      env: { ...o.env },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  child.unref();
  if (child.pid === undefined) throw new ShimSpawnError(`could not start ${o.argv[0] ?? '(no command)'}`);
  child.on('error', () => undefined);
  return { pid: child.pid, startTime: procStartTime(child.pid) ?? '', child };
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

export function shimAlive(p: Pick<ShimProcess, 'pid' | 'startTime'>): boolean {
  const st = procStartTime(p.pid);
  return st !== undefined && (p.startTime === '' || st === p.startTime);
}

/** SIGTERM to the shim only: it passes it on once (a second signal would hurry the launcher). */
export function terminate(p: ShimProcess): void {
  if (shimAlive(p)) signal(p.pid, 'SIGTERM');
}

/** SIGKILL to the shim's process group and everything else of the pod (see process-tree.ts). */
export function killGroup(p: ShimProcess): void {
  if (!shimAlive(p)) return;
  const all = podProcessTree(p.pid);
  signal(-p.pid, 'SIGKILL');
  for (const pid of all) signal(pid, 'SIGKILL');
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Gone meanwhile.
  }
}

/** The exit code the shim wrote, if it has. */
export function readExitCode(exitFile: string): number | undefined {
  try {
    const n = Number(readFileSync(exitFile, 'utf8').trim());
    return Number.isInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}
