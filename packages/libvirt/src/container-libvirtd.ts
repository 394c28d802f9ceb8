// A VM's libvirtd + virtlogd inside a launcher container (ADR 0007). The container runtime has
// already given the pod private mount and pid namespaces, and the pod has no CAP_SYS_ADMIN, so
// there is nothing to unshare or mount: the daemons run as this process's children with the
// same configuration as in namespace mode, and stop() cleans up by process tree.
//
// Process tree:  node (child subreaper) -> setpriv(pdeathsig) -> virtlogd
//                                       -> setpriv(pdeathsig) -> libvirtd
//                                       -> QEMU (daemonized by libvirtd, adopted by node)
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, rmdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepareDaemonStart, removeDaemonSockets, waitUntilAnswering, writeDaemonFiles, type DaemonStartOptions } from './daemon-files.js';
import { becomeChildSubreaper, reapChild } from './orphans.js';
import { PrivateLibvirtdError, type LibvirtDaemon } from './private-libvirtd.js';
import { childrenOf, commOf, descendantsOf, isDeadOrZombie, sessionOf, tail } from './proc.js';
import { qemuUnixUri } from './uri.js';

/** Where libvirt's QEMU driver reads qemu.conf as root (compiled in; no flag or variable moves it). */
const QEMU_CONF = '/etc/libvirt/qemu.conf';
/** Where the QEMU driver writes <domain>.log (compiled in); linked to logDir/qemu as in namespace mode. */
const QEMU_LOG_DIR = '/var/log/libvirt/qemu';

type Exit = { code: number | null; signal: NodeJS.Signals | null };

function exitOf(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Points the QEMU driver's log directory at logDir/qemu, unless the image already put logs there. */
function linkQemuLogs(logDir: string): void {
  const target = join(logDir, 'qemu');
  mkdirSync(target, { recursive: true });
  mkdirSync('/var/log/libvirt', { recursive: true });
  if (existsSync(QEMU_LOG_DIR) || isSymlink(QEMU_LOG_DIR)) {
    if (isSymlink(QEMU_LOG_DIR)) rmSync(QEMU_LOG_DIR);
    else if (readdirSync(QEMU_LOG_DIR).length === 0) rmdirSync(QEMU_LOG_DIR);
    else return;
  }
  symlinkSync(target, QEMU_LOG_DIR);
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Starts virtlogd and libvirtd for one VM in a launcher container. Writes /etc/libvirt/qemu.conf
 * (the container's own), so it must only run where the filesystem is the pod's: the launcher
 * chooses this mode when it lacks CAP_SYS_ADMIN, never on a host where it could unshare.
 */
export async function startContainerLibvirtd(opts: DaemonStartOptions): Promise<LibvirtDaemon> {
  const { logger } = opts;
  const { paths, socketPath, bins, startTimeout, stopTimeout } = prepareDaemonStart(opts);
  const files = writeDaemonFiles(paths, 'container');
  mkdirSync('/etc/libvirt', { recursive: true });
  copyFileSync(files.qemuConf, QEMU_CONF);
  linkQemuLogs(paths.logDir);
  becomeChildSubreaper();

  const daemonLog = join(paths.logDir, 'daemons.log');
  const logFd = openSync(daemonLog, 'a');
  const start = (bin: string, conf: string, pidFile: string, env: NodeJS.ProcessEnv): ChildProcess =>
    // setpriv --pdeathsig: the daemon dies with the launcher even if the launcher is SIGKILLed.
    spawn('setpriv', ['--pdeathsig', 'KILL', '--', bin, '-f', conf, '-p', join(paths.runDir, pidFile)], {
      stdio: ['ignore', logFd, logFd],
      env,
    });
  let virtlogd: ChildProcess;
  let libvirtd: ChildProcess;
  try {
    virtlogd = start(bins.virtlogd, files.virtlogdConf, 'virtlogd.pid', process.env);
    const driverEnv = files.driverDir === undefined ? {} : { LIBVIRT_DRIVER_DIR: files.driverDir };
    libvirtd = start(bins.libvirtd, files.libvirtdConf, 'libvirtd.pid', { ...process.env, ...driverEnv });
  } finally {
    closeSync(logFd);
  }
  const daemons = [libvirtd, virtlogd];
  const exited = exitOf(libvirtd);
  let hasExited = false;
  void exited.then((r) => {
    hasExited = true;
    logger.info({ ...r, socketPath }, 'libvirtd ended');
  });

  // Adopted processes are QEMU, daemonized by libvirtd (its guests and its capability probes):
  // daemonizing starts a new session. node's own children (a `qemu --version` probe) stay in
  // ours, and only node may reap those, or it would never see their exit.
  const ownSession = sessionOf(process.pid);
  const adopted = (): number[] =>
    childrenOf(process.pid).filter((p) => !daemons.some((d) => d.pid === p) && sessionOf(p) !== undefined && sessionOf(p) !== ownSession);
  const reapAdopted = (): void => {
    for (const p of adopted()) if (isDeadOrZombie(p)) reapChild(p);
  };
  /** What the daemons started: their descendants, and the QEMU processes we adopted. */
  const leftovers = (): number[] => {
    const below = daemons.flatMap((d) => (d.pid === undefined ? [] : descendantsOf(d.pid)));
    return [...new Set([...adopted(), ...below])].filter((p) => !isDeadOrZombie(p));
  };
  // QEMU exits when its domain ends; reap it then rather than at stop (no zombie meanwhile).
  const reaper = setInterval(reapAdopted, 1_000);
  reaper.unref();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const d of daemons) {
        if (d.exitCode !== null || d.signalCode !== null) continue;
        d.kill('SIGTERM');
        const done = await Promise.race([exitOf(d).then(() => true), sleep(stopTimeout).then(() => false)]);
        if (!done) {
          logger.warn({ pid: d.pid, socketPath }, 'daemon did not stop in time; killing it');
          d.kill('SIGKILL');
          await exitOf(d);
        }
      }
      // libvirtd leaves QEMU running when it stops: kill what is left, then reap it.
      const end = Date.now() + stopTimeout;
      for (let left = leftovers(); left.length > 0; left = leftovers()) {
        if (Date.now() > end) {
          throw new PrivateLibvirtdError(`libvirtd for ${socketPath}: processes still alive after stop: ${left.map((p) => `${commOf(p)}(${p})`).join(', ')}`);
        }
        for (const p of left) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            // exited meanwhile
          }
        }
        await sleep(20);
      }
      clearInterval(reaper);
      reapAdopted();
      removeDaemonSockets(paths.socketDir);
    })();
    return stopping;
  };

  const fail = async (why: string): Promise<never> => {
    await stop();
    throw new PrivateLibvirtdError(
      `libvirtd for ${socketPath} (container mode): ${why}\n--- ${daemonLog}\n${tail(daemonLog)}\n--- libvirtd.log\n${tail(join(paths.logDir, 'libvirtd.log'))}`,
    );
  };

  const startedAt = Date.now();
  const spawnFailed = await Promise.race([...daemons.map((d) => new Promise<Error>((resolve) => d.once('error', resolve))), sleep(0).then(() => null)]);
  if (spawnFailed) return fail(`cannot run setpriv: ${spawnFailed.message}`);
  const uri = qemuUnixUri(socketPath);
  const notReady = await waitUntilAnswering({ uri, socketPath, deadline: startedAt + startTimeout, logger, hasExited: () => hasExited });
  if (notReady !== undefined) return fail(notReady);
  if (virtlogd.exitCode !== null || virtlogd.signalCode !== null) return fail(`virtlogd exited (${virtlogd.exitCode ?? virtlogd.signalCode})`);
  const pids = { libvirtd: libvirtd.pid ?? -1, virtlogd: virtlogd.pid ?? -1 };
  logger.info({ socketPath, pids, isolation: 'container', startMs: Date.now() - startedAt }, 'private libvirtd ready');
  return { socketPath, uri, pids, exited, stop };
}
