// Composition of the in-pod mode: config -> logger -> private libvirtd + libvirt connection ->
// Supervisor; signals; exit code. main.ts dispatches here for `virt-launcher --vmi-uid ...`.
import {
  CONTAINER_DISKS_ENV,
  EMPTY_DISKS_ENV,
  HOST_DISKS_ENV,
  parseContainerDiskOverlays,
  parseSizedDisks,
  type ContainerDiskOverlay,
  type EmptyDisk,
} from '@qvirt/api';
import { CLOUD_INIT_ENV, parseCloudInitDisk, type CloudInitDisk } from '@qvirt/domain';
import { LibvirtConnection, libvirtDomainManager } from '@qvirt/libvirt';
import { detectIsolation, startVmLibvirtd, type Isolation } from '@qvirt/libvirt/daemon';
import { pino } from 'pino';
import { LauncherConfigError, parseSupervisorArgs, type SupervisorConfig } from '../config.js';
import { ExitCodes } from '../supervisor/exit-policy.js';
import type { LauncherPaths } from '../supervisor/paths.js';
import type { Logger } from '@qvirt/log';
import type { LauncherConnection, PrivateDaemon } from '../supervisor/ports.js';
import { writeCloudInitIso } from '../supervisor/cloud-init-iso.js';
import { makeContainerDiskOverlays, makeEmptyDisks, sizeHostDisks } from '../supervisor/container-disk-overlays.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { qemuVersionOf } from '../supervisor/versions.js';

export interface SupervisorMainOptions {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  launcherVersion: string;
}

/** Runs the launcher until its domain ends (or SIGTERM); resolves with the process exit code. */
export async function supervisorMain(o: SupervisorMainOptions): Promise<number> {
  let config: SupervisorConfig;
  let containerDisks: ContainerDiskOverlay[];
  let cloudInit: CloudInitDisk | undefined;
  let blankDisks: EmptyDisk[];
  let hostDisks: EmptyDisk[];
  try {
    config = parseSupervisorArgs(o.argv);
    containerDisks = fromEnv(o.env, CONTAINER_DISKS_ENV, parseContainerDiskOverlays) ?? [];
    cloudInit = fromEnv(o.env, CLOUD_INIT_ENV, parseCloudInitDisk);
    blankDisks = fromEnv(o.env, EMPTY_DISKS_ENV, (t) => parseSizedDisks(EMPTY_DISKS_ENV, t)) ?? [];
    hostDisks = fromEnv(o.env, HOST_DISKS_ENV, (t) => parseSizedDisks(HOST_DISKS_ENV, t)) ?? [];
  } catch (err) {
    if (!(err instanceof LauncherConfigError)) throw err;
    process.stderr.write(`virt-launcher: ${err.message}\n`);
    return ExitCodes.config;
  }
  const logger = pino({
    base: {
      component: 'virt-launcher',
      pid: process.pid,
      vmiUid: config.vmiUid,
      ...(config.name !== undefined ? { vmi: config.name, namespace: config.namespace } : {}),
    },
  });
  const supervisor = new Supervisor({
    config,
    env: o.env,
    logger,
    launcherVersion: o.launcherVersion,
    qemuVersion: () => qemuVersionOf(),
    startDaemon: (paths) => startDaemon(paths, config.isolation === 'auto' ? detectIsolation() : config.isolation, logger),
    openConnection: (uri) => openConnection(uri, logger),
    prepareDisks: async () => {
      await makeContainerDiskOverlays(containerDisks, logger);
      await makeEmptyDisks(blankDisks, logger);
      await sizeHostDisks(hostDisks, logger);
      if (cloudInit) await writeCloudInitIso(cloudInit, logger);
    },
  });
  const onSignal = (signal: NodeJS.Signals) => supervisor.stop(signal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  logger.info({ config }, 'virt-launcher starting');
  const result = await supervisor.run();
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  if (result.code === ExitCodes.clean) {
    logger.info({ exitCode: result.code }, `virt-launcher exiting: ${result.reason}`);
  } else {
    logger.error({ exitCode: result.code }, `virt-launcher exiting: ${result.reason}`);
    process.stderr.write(`virt-launcher: ${result.reason}\n`);
  }
  logger.flush();
  return result.code;
}

/** An env variable virt-controller set for this pod (the disks to prepare), parsed; undefined when absent. */
function fromEnv<T>(env: Readonly<Record<string, string | undefined>>, name: string, parse: (text: string) => T): T | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  try {
    return parse(text);
  } catch (err) {
    throw new LauncherConfigError((err as Error).message);
  }
}

async function startDaemon(paths: LauncherPaths, isolation: Isolation, logger: Logger): Promise<PrivateDaemon> {
  logger.info({ isolation }, "starting the VM's libvirtd");
  const d = await startVmLibvirtd(isolation, {
    runDir: paths.privateDir,
    socketDir: paths.vmiDir,
    // Kept after exit (libvirtd.log, qemu/<domain>.log): the handler removes the VMI dir.
    logDir: paths.logDir,
    logger,
  });
  return {
    socketPath: d.socketPath,
    uri: d.uri,
    libvirtdPid: d.pids['libvirtd'] ?? -1,
    pids: Object.values(d.pids),
    exited: d.exited,
    stop: () => d.stop(),
  };
}

async function openConnection(uri: string, logger: Logger): Promise<LauncherConnection> {
  const conn = await LibvirtConnection.open(uri, { logger });
  return {
    domains: libvirtDomainManager(conn),
    libVersion: () => conn.libVersion(),
    onClose: (listener) => conn.onClose(listener),
    close: () => conn.close(),
  };
}
