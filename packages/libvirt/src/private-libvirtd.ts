// One libvirtd (+ virtlogd) per VM, isolated in its own pid + mount namespace, reachable from
// outside through <socketDir>/libvirt-sock. Used by virt-launcher; virt-handler connects with
// qemuUnixUri(socketPath).
//
// Process tree (host view):  node -> setpriv(pdeathsig) -> unshare --fork -> sh (pid 1 inside)
//                              -> virtlogd, libvirtd; QEMU (daemonized, re-parented to sh)
// If node dies, setpriv's pdeathsig kills unshare, whose --kill-child kills pid 1, and the
// kernel kills the rest of the namespace: nothing outlives the launcher.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepareDaemonStart, removeDaemonSockets, waitUntilAnswering, writeDaemonFiles, type DaemonStartOptions } from './daemon-files.js';
import { renderInitScript } from './private-libvirtd-config.js';
import { childrenOf, commOf, tail } from './proc.js';
import { qemuUnixUri } from './uri.js';

export type PrivateLibvirtdOptions = DaemonStartOptions;

export type PrivateLibvirtdPids = {
  /** The unshare process (a child of this process's setpriv). */
  unshare: number;
  /** pid 1 of the namespace, host view. */
  init: number;
  libvirtd: number;
  virtlogd: number;
};

/** A VM's running libvirtd + virtlogd, however they are isolated. */
export interface LibvirtDaemon {
  socketPath: string;
  /** `qemu+unix:///system?socket=<socketPath>` */
  uri: string;
  /** Host pids by role: libvirtd and virtlogd, plus the namespace's helpers where there are any. */
  pids: Readonly<Record<string, number>>;
  /** Resolves when the daemon has ended (stop() or an unexpected death). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends libvirtd, virtlogd and every QEMU they started; resolves when none is left. */
  stop(): Promise<void>;
}

/**
 * The daemons in their own namespace. stop() kills QEMU, it does not shut it down: stop or
 * destroy domains through libvirt first if that matters.
 */
export interface PrivateLibvirtd extends LibvirtDaemon {
  pids: PrivateLibvirtdPids;
  /** The namespace's pid namespace id (`pid:[...]`): processesInNamespace() lists what runs in it. */
  pidNamespace: string;
}

export class PrivateLibvirtdError extends Error {
  override readonly name = 'PrivateLibvirtdError';
}

/** The pid namespace of a process, e.g. `pid:[4026532301]`, or null if it is gone. */
export function pidNamespaceOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return null;
  }
}

/** Processes (host pids and names) living in pid namespace `ns` (see pidNamespaceOf). */
export function processesInNamespace(ns: string): { pid: number; comm: string }[] {
  const out: { pid: number; comm: string }[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readlinkSync(`/proc/${e}/ns/pid`) === ns) {
        out.push({ pid: Number(e), comm: readFileSync(`/proc/${e}/comm`, 'utf8').trim() });
      }
    } catch {
      // gone meanwhile, or a zombie
    }
  }
  return out;
}

/** Descends setpriv/unshare to the namespace's pid 1 (sh) and its two daemons. */
async function discoverPids(root: number, deadline: number): Promise<PrivateLibvirtdPids | null> {
  while (Date.now() < deadline) {
    // setpriv execs unshare, so `root` is unshare once exec happened.
    const init = childrenOf(root)[0];
    if (init) {
      const kids = childrenOf(init);
      const libvirtd = kids.find((k) => commOf(k) === 'libvirtd');
      const virtlogd = kids.find((k) => commOf(k) === 'virtlogd');
      if (libvirtd && virtlogd) return { unshare: root, init, libvirtd, virtlogd };
    }
    await sleep(20);
  }
  return null;
}

export async function startPrivateLibvirtd(opts: PrivateLibvirtdOptions): Promise<PrivateLibvirtd> {
  const { logger } = opts;
  const { paths, socketPath, bins, startTimeout, stopTimeout } = prepareDaemonStart(opts);
  const files = writeDaemonFiles(paths, 'namespace');
  const script = join(paths.runDir, 'libvirtd-namespace.sh');
  const driverDir = files.driverDir;
  writeFileSync(script, renderInitScript(paths, { ...bins, ...(driverDir !== undefined ? { driverDir } : {}) }), { mode: 0o755 });

  const nsLog = join(paths.logDir, 'namespace.log');
  const logFd = openSync(nsLog, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      'setpriv',
      [
        '--pdeathsig',
        'KILL',
        '--',
        'unshare',
        '--mount',
        '--propagation',
        'private',
        '--pid',
        '--fork',
        '--kill-child=SIGKILL',
        '--mount-proc',
        '--',
        '/bin/sh',
        script,
      ],
      { stdio: ['ignore', logFd, logFd], detached: true },
    );
  } finally {
    closeSync(logFd);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let hasExited = false;
  void exited.then((r) => {
    hasExited = true;
    logger.info({ ...r, socketPath }, 'private libvirtd namespace ended');
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const fail = async (why: string): Promise<never> => {
    await stopTree();
    throw new PrivateLibvirtdError(
      `private libvirtd for ${socketPath}: ${why}\n--- ${nsLog}\n${tail(nsLog)}\n--- libvirtd.log\n${tail(join(paths.logDir, 'libvirtd.log'))}`,
    );
  };

  let pids: PrivateLibvirtdPids | null = null;
  let pidNs: string | null = null;
  let stopping: Promise<void> | null = null;
  const stopTree = (): Promise<void> => {
    stopping ??= (async () => {
      const init = pids?.init ?? childrenOf(child.pid ?? -1)[0];
      if (!hasExited) {
        // SIGTERM to pid 1: it stops libvirtd (which leaves QEMU running), then exits, and the
        // kernel kills what is left of the namespace.
        if (init) process.kill(init, 'SIGTERM');
        else child.kill('SIGKILL');
        const done = await Promise.race([exited.then(() => true), sleep(stopTimeout).then(() => false)]);
        if (!done) {
          logger.warn({ socketPath }, 'private libvirtd did not stop in time; killing its namespace');
          child.kill('SIGKILL'); // unshare --kill-child=SIGKILL takes pid 1 and the namespace with it
          if (init) {
            try {
              process.kill(init, 'SIGKILL');
            } catch {
              // already gone
            }
          }
          await exited;
        }
      }
      // The kernel tears the namespace down after pid 1 dies, asynchronously: wait for it.
      if (pidNs) {
        const end = Date.now() + stopTimeout;
        for (let left = processesInNamespace(pidNs); left.length > 0; left = processesInNamespace(pidNs)) {
          if (Date.now() > end) {
            throw new PrivateLibvirtdError(
              `private libvirtd for ${socketPath}: processes still alive after stop: ${left.map((p) => `${p.comm}(${p.pid})`).join(', ')}`,
            );
          }
          for (const p of left) {
            try {
              process.kill(p.pid, 'SIGKILL');
            } catch {
              // exited meanwhile
            }
          }
          await sleep(20);
        }
      }
      removeDaemonSockets(paths.socketDir);
    })();
    return stopping;
  };

  const startedAt = Date.now();
  const deadline = startedAt + startTimeout;
  const spawnFailed = await Promise.race([spawnError, sleep(0).then(() => null)]);
  if (spawnFailed) return fail(`cannot run setpriv/unshare: ${spawnFailed.message}`);
  pids = await discoverPids(child.pid ?? -1, deadline);
  if (!pids) return fail(hasExited ? 'the namespace exited during start' : `no libvirtd/virtlogd after ${startTimeout} ms`);
  pidNs = pidNamespaceOf(pids.init);
  if (!pidNs) return fail('the namespace exited during start');

  const uri = qemuUnixUri(socketPath);
  const notReady = await waitUntilAnswering({ uri, socketPath, deadline, logger, hasExited: () => hasExited });
  if (notReady !== undefined) return fail(notReady);
  logger.info({ socketPath, pids, startMs: Date.now() - startedAt }, 'private libvirtd ready');
  return { socketPath, uri, pids, pidNamespace: pidNs, exited, stop: stopTree };
}
