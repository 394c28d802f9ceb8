// Test harness: runs virt-launcher's in-pod mode as a real process (from source, through tsx)
// and plays the handler's side around it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LauncherClient, type PingInfo } from '@qvirt/launcher-rpc';
import { eventually } from '@qvirt/testing';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export interface LauncherProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  logs(): LogLine[];
  /** Host pids of the launcher's libvirtd, virtlogd and namespace init (from its log). */
  daemonPids(): number[];
}

/**
 * A simulated launcher pod for container mode, built the way a container runtime would (the
 * harness is root here): a private mount namespace whose libvirt directories are empty tmpfs
 * (the image's own), then the launcher without CAP_SYS_ADMIN and with no_new_privs, as a pod
 * with `privileged: false, allowPrivilegeEscalation: false` runs it. The launcher is not pid 1,
 * so QEMU's adoption goes through its child-subreaper setting. The pid is the launcher's.
 */
export function inSimulatedPod(command: string[]): string[] {
  const dirs = ['/etc/libvirt', '/run/libvirt', '/var/lib/libvirt', '/var/cache/libvirt', '/var/log/libvirt'];
  const script = `set -e; for d in ${dirs.join(' ')}; do mkdir -p $d; mount -t tmpfs -o mode=0755 pod-image $d; done
exec setpriv --no-new-privs --bounding-set -sys_admin --inh-caps -sys_admin -- "$@"`;
  return ['unshare', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', script, 'sh', ...command];
}

export function startLauncher(args: string[], env: Record<string, string> = {}, wrap: (command: string[]) => string[] = (c) => c): LauncherProcess {
  const [file, ...rest] = wrap([process.execPath, '--conditions=source', '--import', 'tsx', MAIN, ...args]) as [string, ...string[]];
  const child = spawn(file, rest, {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.once('exit', (code, signal) => setImmediate(() => ok({ code, signal }))),
  );
  const logs = (): LogLine[] =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as LogLine];
        } catch {
          return [];
        }
      });
  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    logs,
    daemonPids: () => {
      const ready = logs().find((l) => l.msg === 'private libvirtd ready');
      const pids = (ready?.pids ?? {}) as Record<string, number>;
      return Object.values(pids);
    },
  };
}

/** Polls Ping like the handler does until the launcher says ready. */
export async function waitForReady(client: LauncherClient, launcher: LauncherProcess, timeoutMs = 60_000): Promise<PingInfo> {
  return eventually(
    'launcher ready',
    async () => {
      const info = await client.ping({ deadlineMs: 1000 });
      return info.ready ? info : undefined;
    },
    {
      timeoutMs,
      intervalMs: 100,
      abort: () => (launcher.child.exitCode !== null ? `launcher exited (${launcher.child.exitCode}) before ready: ${launcher.stderr()}` : undefined),
    },
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}\n${launcher.stdout()}`, { cause: err });
  });
}

/** Waits until the file holds `text`; resolves with the milliseconds that took. */
export async function waitForFileText(path: string, text: string, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  await eventually(
    `${text} in ${path}`,
    async () => {
      const content = await readFile(path, 'utf8');
      if (content.includes(text)) return true;
      throw new Error(`it holds: ${content}`);
    },
    { timeoutMs },
  );
  return Date.now() - t0;
}

export interface Survivor {
  pid: number;
  cmdline: string;
}

/**
 * Live qemu-system / libvirtd / virtlogd processes (and any pid in `pids`) that belong to a
 * launcher: their command line mentions its run dir or its domain (`guest=<name>,`).
 */
export function survivors(runDir: string, domainName: string, pids: readonly number[]): Survivor[] {
  const out: Survivor[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    let cmdline: string;
    let stat: string;
    try {
      cmdline = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ').trim();
      stat = readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue;
    }
    if (/\) Z /.test(stat) || cmdline === '') continue;
    const daemonish = /qemu-system|libvirtd|virtlogd|libvirtd-namespace/.test(cmdline);
    const ours = cmdline.includes(runDir) || cmdline.includes(`guest=${domainName},`);
    if ((daemonish && ours) || pids.includes(pid)) out.push({ pid, cmdline: cmdline.slice(0, 200) });
  }
  return out;
}
