// Machine-wide sysctls the kubelet sets at start (pkg/kubelet/cm/container_manager_linux.go,
// setupKernelTunables). They are not per network namespace, so `up` records them and `down`
// puts them back.
import { readFile, writeFile } from 'node:fs/promises';

export const KUBELET_SYSCTLS = [
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
] as const;

export async function readSysctls(names: readonly string[] = KUBELET_SYSCTLS): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const n of names) out[n] = (await readFile(`/proc/sys/${n}`, 'utf8')).trim();
  return out;
}

/** Writes back every saved value that differs now; returns what it changed (`name: now -> saved`). */
export async function restoreSysctls(saved: Readonly<Record<string, string>>): Promise<string[]> {
  const changed: string[] = [];
  for (const [n, v] of Object.entries(saved)) {
    if (!/^[a-z0-9_/]+$/.test(n)) throw new Error(`refusing to write sysctl ${JSON.stringify(n)}: not a sysctl path`);
    const now = (await readFile(`/proc/sys/${n}`, 'utf8')).trim();
    if (now === v) continue;
    await writeFile(`/proc/sys/${n}`, `${v}\n`);
    changed.push(`${n.replace(/\//g, '.')}: ${now} -> ${v}`);
  }
  return changed;
}
