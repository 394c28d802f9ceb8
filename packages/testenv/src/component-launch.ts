import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually, type Probe } from '@qvirt/testing';
import { ControlPlaneStartError } from './errors.js';
import { ManagedProcess } from './managed-process.js';

export interface LaunchInput {
  /** Component (and binary) name, e.g. kube-apiserver. */
  name: string;
  binDir: string;
  args: string[];
  /** The component's own directory; its log is <dir>/<name>.log. */
  dir: string;
  /** Process-group ids are appended here for the watchdog. */
  pgidsFile: string;
  /** Resolves true once ready; throws with what it saw (e.g. `HTTP 500 ...`) while not. */
  ready: Probe<true>;
  timeoutMs: number;
  /** Receives the process as soon as it is spawned, so a failed start can still stop it. */
  onSpawn: (p: ManagedProcess) => void;
  /** Persistent mode: unref the child and write its pid to <dir>/<name>.pid. */
  persistent?: boolean;
}

/** Starts one binary in its own process group and waits until `ready` says so, the process dies, or time runs out. */
export async function launchComponent(i: LaunchInput): Promise<ManagedProcess> {
  await mkdir(i.dir, { recursive: true });
  const logPath = join(i.dir, `${i.name}.log`);
  const proc = new ManagedProcess({
    name: i.name,
    command: join(i.binDir, i.name),
    args: i.args,
    logPath,
    cwd: i.dir,
    keepRunningAfterExit: i.persistent ?? false,
  });
  i.onSpawn(proc);
  await appendFile(i.pgidsFile, `${proc.pid}\n`);
  if (i.persistent) await writeFile(join(i.dir, `${i.name}.pid`), `${proc.pid}\n`);
  try {
    await eventually(`${i.name} ready`, i.ready, {
      timeoutMs: i.timeoutMs,
      intervalMs: 250,
      abort: () => {
        const exit = proc.hasExited;
        return exit ? `exited during startup (code ${String(exit.code)}, signal ${String(exit.signal)})` : undefined;
      },
    });
  } catch (err) {
    throw new ControlPlaneStartError(i.name, (err as Error).message, logPath, await proc.logTail());
  }
  return proc;
}
