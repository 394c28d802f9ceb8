import { readFileSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';

/** A process found in /proc. */
export interface ProcInfo {
  pid: number;
  /** argv joined with spaces. */
  cmdline: string;
  /** `mnt:[4026532...]`, or undefined if unreadable. */
  mntNs?: string;
}

export async function listProcesses(procRoot = '/proc'): Promise<ProcInfo[]> {
  const out: ProcInfo[] = [];
  for (const entry of await readdir(procRoot)) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const raw = await readFile(`${procRoot}/${entry}/cmdline`).catch(() => undefined);
    if (!raw || raw.length === 0) continue; // kernel thread or gone
    const mntNs = await readlink(`${procRoot}/${entry}/ns/mnt`).catch(() => undefined);
    out.push({ pid, cmdline: raw.toString('utf8').replace(/\0+$/, '').split('\0').join(' '), ...(mntNs ? { mntNs } : {}) });
  }
  return out;
}

export async function mountNamespaceOf(pid: number, procRoot = '/proc'): Promise<string | undefined> {
  return readlink(`${procRoot}/${pid}/ns/mnt`).catch(() => undefined);
}

/** SIGKILLs the pids and waits (up to timeoutMs) until they are gone; returns those still alive. */
export async function killAndWait(pids: readonly number[], timeoutMs = 5000): Promise<number[]> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((ok) => setTimeout(ok, 50));
    alive = alive.filter(isAlive);
  }
  return alive;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers signal 0; it is not running any more.
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // Synchronous on purpose: a tiny file, read in a short poll.
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
