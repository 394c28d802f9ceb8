// Local stack only: what runs on the node for a VMI (its QEMU), to prove nothing leaks.
import { readdirSync, readFileSync } from 'node:fs';

/** Host pids of QEMU processes running the domain `<namespace>_<name>`. */
export function qemuProcesses(domainName: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (cmd.startsWith('/usr/bin/qemu-system') && cmd.includes(`guest=${domainName},`)) out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}
