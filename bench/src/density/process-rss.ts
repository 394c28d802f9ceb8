// Resident memory of processes, from /proc, with a running peak per name.
import { readFileSync } from 'node:fs';
import { statusMiB } from '../proc-memory.js';

/** VmRSS in bytes, or 0 when the process is gone. */
export function rssBytes(pid: number): number {
  try {
    return statusMiB(pid) * 1024 * 1024;
  } catch {
    return 0;
  }
}

export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

export class PeakTracker {
  readonly peaks = new Map<string, number>();

  /** Records the summed RSS of `pids` under `name` if it beats the peak. */
  sample(name: string, pids: readonly number[]): void {
    const total = pids.reduce((s, p) => s + rssBytes(p), 0);
    if (total > (this.peaks.get(name) ?? 0)) this.peaks.set(name, total);
  }
}
