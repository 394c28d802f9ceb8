// The files a VM's private libvirtd and virtlogd start from, written the same way whether they
// run in our own namespace (host process) or directly in a launcher container.
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LibvirtConnection } from './connection.js';
import type { Logger } from '@qvirt/log';
import { renderLibvirtdConf, renderQemuConf, renderVirtlogdConf, validatePaths, type Isolation, type PrivateLibvirtdPaths } from './private-libvirtd-config.js';

const DRIVER_DIRS = ['/usr/lib64/libvirt/connection-driver', '/usr/lib/libvirt/connection-driver'];
const QEMU_DRIVER = 'libvirt_driver_qemu.so';

/** libvirt's QEMU driver module (Debian: /usr/lib/<triplet>/libvirt/connection-driver), or undefined. */
export function findQemuDriver(): string | undefined {
  const triplets = existsSync('/usr/lib') ? readdirSync('/usr/lib').filter((d) => d.endsWith('-linux-gnu')) : [];
  const dirs = [...triplets.map((t) => `/usr/lib/${t}/libvirt/connection-driver`), ...DRIVER_DIRS];
  return dirs.map((d) => join(d, QEMU_DRIVER)).find((f) => existsSync(f));
}

export interface DaemonFiles {
  libvirtdConf: string;
  virtlogdConf: string;
  qemuConf: string;
  /**
   * LIBVIRT_DRIVER_DIR for libvirtd: a directory with only the QEMU driver, so a VM's daemon does
   * not load (and keep resident) the network, storage, nodedev, secret, nwfilter and interface
   * drivers it never uses, much as KubeVirt runs virtqemud. Undefined: libvirt's default set.
   */
  driverDir: string | undefined;
}

/**
 * Writes the configuration into runDir. Log files: inside the namespace /var/log/libvirt is
 * logDir (bind mount); in a container the daemons write to logDir directly.
 */
export function writeDaemonFiles(paths: PrivateLibvirtdPaths, isolation: Isolation): DaemonFiles {
  const logIn = (name: string) => (isolation === 'container' ? join(paths.logDir, name) : undefined);
  const files: DaemonFiles = {
    libvirtdConf: join(paths.runDir, 'libvirtd.conf'),
    virtlogdConf: join(paths.runDir, 'virtlogd.conf'),
    qemuConf: join(paths.runDir, 'qemu.conf'),
    driverDir: undefined,
  };
  writeFileSync(files.libvirtdConf, renderLibvirtdConf(paths, logIn('libvirtd.log')));
  writeFileSync(files.virtlogdConf, renderVirtlogdConf(logIn('virtlogd.log')));
  writeFileSync(files.qemuConf, renderQemuConf(isolation));
  const qemuDriver = findQemuDriver();
  if (qemuDriver !== undefined) {
    const dir = join(paths.runDir, 'drivers');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    symlinkSync(qemuDriver, join(dir, QEMU_DRIVER));
    files.driverDir = dir;
  }
  return files;
}

/**
 * Waits until libvirtd answers on its socket (a connection and one call). Resolves undefined when
 * it does, or the reason it did not: it exited, or the deadline passed.
 */
export async function waitUntilAnswering(o: {
  uri: string;
  socketPath: string;
  deadline: number;
  logger: Logger;
  hasExited: () => boolean;
}): Promise<string | undefined> {
  let lastError: unknown = null;
  for (;;) {
    if (o.hasExited()) return 'libvirtd exited during start';
    if (Date.now() > o.deadline) return `socket did not answer in time: ${String(lastError)}`;
    if (existsSync(o.socketPath)) {
      try {
        const conn = await LibvirtConnection.open(o.uri, { logger: o.logger, keepAlive: false });
        try {
          await conn.libVersion();
        } finally {
          await conn.close();
        }
        return undefined;
      } catch (err) {
        lastError = err;
      }
    }
    await sleep(50);
  }
}

/** What starting a VM's daemons takes, however they are isolated. */
export interface DaemonStartOptions extends PrivateLibvirtdPaths {
  logger: Logger;
  /** How long to wait for the socket to answer. Default 30 s. */
  startTimeoutMs?: number;
  /** Grace for libvirtd/virtlogd to exit on SIGTERM before everything is SIGKILLed. Default 10 s. */
  stopTimeoutMs?: number;
  /** Daemon binaries. Default /usr/sbin/libvirtd, /usr/sbin/virtlogd. */
  binaries?: { libvirtd: string; virtlogd: string };
}

const SOCKETS = ['libvirt-sock', 'libvirt-sock-ro', 'libvirt-admin-sock'];

/**
 * Checks the paths, fills in the defaults and creates the directories; a socket left by a killed
 * daemon is removed (a live daemon owning this VM would be a bug in the caller).
 */
export function prepareDaemonStart(opts: DaemonStartOptions) {
  const paths = validatePaths(opts);
  for (const d of [paths.runDir, paths.socketDir, paths.logDir]) mkdirSync(d, { recursive: true, mode: 0o755 });
  const socketPath = join(paths.socketDir, SOCKETS[0]!);
  rmSync(socketPath, { force: true });
  return {
    paths,
    socketPath,
    bins: opts.binaries ?? { libvirtd: '/usr/sbin/libvirtd', virtlogd: '/usr/sbin/virtlogd' },
    startTimeout: opts.startTimeoutMs ?? 30_000,
    stopTimeout: opts.stopTimeoutMs ?? 10_000,
  };
}

/** Removes libvirtd's sockets once it is gone, so a later start finds none. */
export function removeDaemonSockets(socketDir: string): void {
  for (const s of SOCKETS) rmSync(join(socketDir, s), { force: true });
}
