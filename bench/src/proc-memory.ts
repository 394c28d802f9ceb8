// Memory of running processes from procfs, for the footprint benches.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

const PAGE_BYTES = 4096;
const MIB = 1024 * 1024;

/** VmRSS (or another field, e.g. RssAnon) of /proc/<pid>/status in MiB. */
export function statusMiB(pid: number, field = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1];
  if (kb === undefined) throw new Error(`no ${field} for pid ${pid}`);
  return Number(kb) / 1024;
}

/** Pss of /proc/<pid>/smaps_rollup in MiB. */
export function pssMiB(pid: number): number {
  const kb = /^Pss:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no Pss in /proc/${pid}/smaps_rollup`);
  return Number(kb) / 1024;
}

/**
 * The resident set of several processes taken together: every physical page mapped by any of
 * them counted once (page frame numbers from /proc/<pid>/pagemap). This is what the group
 * occupies, where a sum of VmRSS counts libc, libvirt.so or node's binary once per process.
 * Reading frame numbers needs CAP_SYS_ADMIN; without it the kernel reports them as 0, and this
 * throws rather than return a wrong figure.
 */
export function groupResidentMiB(pids: readonly number[]): number {
  const frames = new Set<number>();
  let present = 0;
  for (const pid of pids) {
    const fd = openSync(`/proc/${pid}/pagemap`, 'r');
    try {
      for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
        const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
        // [vsyscall] lies above the range pagemap answers for.
        if (range === null || line.endsWith('[vsyscall]')) continue;
        present += residentFrames(fd, parseInt(range[1]!, 16), parseInt(range[2]!, 16), frames);
      }
    } finally {
      closeSync(fd);
    }
  }
  if (present > 0 && frames.size === 1 && frames.has(0)) {
    throw new Error('page frame numbers read as 0: /proc/<pid>/pagemap needs CAP_SYS_ADMIN for them');
  }
  return (frames.size * PAGE_BYTES) / MIB;
}

const CHUNK_PAGES = 64 * 1024;

/** Adds the frames of the resident pages in [start, end) to `frames`; returns how many were resident. */
function residentFrames(fd: number, start: number, end: number, frames: Set<number>): number {
  const buf = Buffer.alloc(Math.min(CHUNK_PAGES, (end - start) / PAGE_BYTES) * 8);
  let resident = 0;
  for (let page = start / PAGE_BYTES; page < end / PAGE_BYTES; page += CHUNK_PAGES) {
    const n = Math.min(CHUNK_PAGES, end / PAGE_BYTES - page);
    const got = readSync(fd, buf, 0, n * 8, page * 8);
    for (let off = 0; off + 8 <= got; off += 8) {
      const hi = buf.readUInt32LE(off + 4);
      if ((hi & 0x8000_0000) === 0) continue; // bit 63: page present
      // Bits 0-54 hold the frame number.
      frames.add((hi & 0x007f_ffff) * 0x1_0000_0000 + buf.readUInt32LE(off));
      resident++;
    }
  }
  return resident;
}
