import { isAlive, killAndWait, listProcesses, mountNamespaceOf } from './leftover-processes.js';
import type { Logger } from '@qvirt/log';

/** What the reaper knows about a private daemon, captured while it ran. */
export interface DaemonFootprint {
  readonly pids: readonly number[];
  /** libvirtd's mount namespace, read at start-up (it cannot be read once libvirtd is gone). */
  readonly mntNs: string | undefined;
}

export async function footprintOf(daemon: { pids: readonly number[]; libvirtdPid: number }): Promise<DaemonFootprint> {
  return { pids: [...daemon.pids], mntNs: await mountNamespaceOf(daemon.libvirtdPid) };
}

/**
 * Last line of defence after the daemon was asked to stop: SIGKILL whatever of it survived —
 * its own pids, and every process in its private mount namespace (QEMU, when libvirtd died
 * under a running VM). Never the host's namespace: that would be everyone.
 */
export async function reapDaemonLeftovers(footprint: DaemonFootprint, logger: Logger): Promise<void> {
  const ownNs = await mountNamespaceOf(process.pid);
  const victims = new Set(footprint.pids.filter(isAlive));
  if (footprint.mntNs !== undefined && footprint.mntNs !== ownNs) {
    for (const p of await listProcesses()) {
      if (p.mntNs === footprint.mntNs && p.pid !== process.pid) victims.add(p.pid);
    }
  }
  if (victims.size === 0) return;
  logger.warn({ pids: [...victims] }, 'killing processes the private libvirtd left behind');
  const survivors = await killAndWait([...victims]);
  if (survivors.length > 0) logger.error({ pids: survivors }, 'processes survived SIGKILL');
}
