import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The last non-empty line of a log (its final 64 KiB), e.g. a launcher's one-line exit reason; '' if unreadable. */
export function lastLogLine(path: string, maxBytes = 64 * 1024): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, maxBytes);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    return (buf.toString('utf8').split('\n').filter((l) => l.trim() !== '').pop() ?? '').slice(0, 1024);
  } finally {
    closeSync(fd);
  }
}
