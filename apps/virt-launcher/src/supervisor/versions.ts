import { execFile } from 'node:child_process';

/** `QEMU emulator version 7.2.19 (Debian ...)` -> `7.2.19`; the first line otherwise. */
export function parseQemuVersion(output: string): string {
  const first = output.split('\n')[0]?.trim() ?? '';
  return /version\s+(\S+)/i.exec(first)?.[1] ?? first;
}

/** Asks the QEMU binary libvirt will use for its version (once, at start-up). */
export function qemuVersionOf(binary = 'qemu-system-x86_64'): Promise<string> {
  return new Promise((ok, fail) => {
    execFile(binary, ['--version'], { timeout: 5000 }, (err, stdout) => (err ? fail(err) : ok(parseQemuVersion(stdout))));
  });
}
