// What the agent must remember about a pod across its own restarts (the kubelet keeps the same
// in its device manager checkpoint and the runtime's state): the shim, when it started, the devices.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface PodCheckpoint {
  readonly podUid: string;
  readonly namespace: string;
  readonly name: string;
  readonly shimPid: number;
  readonly shimStartTime: string;
  readonly startedAt: string;
  readonly containerID: string;
  /** The command line the pod runs (for `down` and for humans). */
  readonly argv?: readonly string[];
  /** resource name -> device IDs */
  readonly devices: Readonly<Record<string, readonly string[]>>;
}

export interface PodFiles {
  readonly dir: string;
  readonly checkpoint: string;
  readonly exitFile: string;
  readonly log: string;
  /** Allocate's device specs and mounts, for a human to check. */
  readonly allocation: string;
}

export function podFiles(stateDir: string, podUid: string): PodFiles {
  const dir = join(stateDir, 'pods', podUid);
  return { dir, checkpoint: join(dir, 'checkpoint.json'), exitFile: join(dir, 'exit-code'), log: join(dir, 'compute.log'), allocation: join(dir, 'allocation.json') };
}

export async function writeCheckpoint(stateDir: string, cp: PodCheckpoint): Promise<void> {
  const f = podFiles(stateDir, cp.podUid);
  await mkdir(f.dir, { recursive: true });
  await writeFile(`${f.checkpoint}.tmp`, JSON.stringify(cp, null, 2));
  await rename(`${f.checkpoint}.tmp`, f.checkpoint);
}

/** Every readable checkpoint; unreadable ones are reported, not fatal. */
export async function readCheckpoints(stateDir: string, onBad: (dir: string, err: unknown) => void): Promise<PodCheckpoint[]> {
  const dir = join(stateDir, 'pods');
  let uids: string[];
  try {
    uids = await readdir(dir);
  } catch {
    return [];
  }
  const out: PodCheckpoint[] = [];
  for (const uid of uids) {
    try {
      out.push(JSON.parse(await readFile(podFiles(stateDir, uid).checkpoint, 'utf8')) as PodCheckpoint);
    } catch (err) {
      onBad(join(dir, uid), err);
    }
  }
  return out;
}

/** The pod is gone: keep its log (renamed `<ns>_<name>_<uid>.log` under logs/), drop the rest. */
export async function removePodState(stateDir: string, cp: Pick<PodCheckpoint, 'podUid' | 'namespace' | 'name'>): Promise<void> {
  const f = podFiles(stateDir, cp.podUid);
  await mkdir(join(stateDir, 'logs'), { recursive: true });
  await rename(f.log, join(stateDir, 'logs', `${cp.namespace}_${cp.name}_${cp.podUid}.log`)).catch(() => undefined);
  await rm(f.dir, { recursive: true, force: true });
}
