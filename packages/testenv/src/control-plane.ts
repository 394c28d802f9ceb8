import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { apiserverFlags, controllerManagerFlags, etcdFlags, schedulerFlags } from './component-flags.js';
import { launchComponent } from './component-launch.js';
import { createControlPlanePki, type ControlPlanePki } from './control-plane-pki.js';
import { ControlPlaneStartError, TestEnvInputError } from './errors.js';
import { cleanupOnExit, startWatchdog } from './exit-cleanup.js';
import { freePort } from './free-port.js';
import { firstServiceIp } from './service-cidr.js';
import { assertBinDir, kubeBinDir } from './kube-bin.js';
import { writeKubeconfig } from './kubeconfig-file.js';
import { runKubectl, type KubectlOptions, type KubectlResult } from './kubectl.js';
import type { ManagedProcess } from './managed-process.js';
import { httpGet } from './readiness.js';
import { serviceAccountKubeconfig } from './service-account-kubeconfig.js';

export interface ControlPlaneOptions {
  /** Directory with kube-apiserver, etcd, ... ; default: the output of scripts/kube-bin.sh (run once per process). */
  binDir?: string;
  withScheduler?: boolean;
  withControllerManager?: boolean;
  /** kube-controller-manager --controllers; default ['*'] (all default-on controllers, garbage collector included). */
  controllers?: string[];
  /** Appended to each binary's command line (later flags win). */
  apiserverFlags?: string[];
  schedulerFlags?: string[];
  controllerManagerFlags?: string[];
  /**
   * The apiserver's bind and advertise address; default 127.0.0.1. A cluster with a real node
   * gives one the node can reach (and that its pods reach through the kubernetes Service).
   */
  address?: string;
  /** Service ClusterIP range; default 10.0.0.0/24 (its first address is the kubernetes Service). */
  serviceCidr?: string;
  /** More names and IPs for the apiserver's serving certificate. */
  extraSans?: { dnsNames?: string[]; ipAddresses?: string[] };
  /** Per component; default 120 s (a loaded 2-core machine is slow). */
  startTimeoutMs?: number;
  /** Parent of the temp directory; default os.tmpdir(). */
  tmpRoot?: string;
  /** Keep the temp directory (logs, certs, etcd data) after stop(). */
  keepTempDir?: boolean;
  /**
   * A control plane that outlives this process (the local stack): state in `stateDir` (not a temp
   * dir; kept after stop()), fixed ports where given, no clean-up on exit or watchdog, children
   * unref'd, and each component's pid in `<stateDir>/<component>/<component>.pid`.
   */
  persistent?: PersistentControlPlaneOptions;
}

export interface PersistentControlPlaneOptions {
  stateDir: string;
  ports?: Partial<Record<'etcdClientPort' | 'etcdPeerPort' | 'apiPort' | 'schedPort' | 'cmPort', number>>;
}

export interface ControlPlane {
  /** Admin (O=system:masters) kubeconfig file. */
  kubeconfigPath: string;
  /** https://<address>:<port> */
  server: string;
  /** The cluster CA's files and the service-account signing key (for node and proxy credentials). */
  pkiDir: string;
  serviceCidr: string;
  /** CA that signed the serving cert and every client cert. */
  caPem: string;
  /** Admin client, loaded from kubeconfigPath. */
  kubeConfig: KubeConfig;
  binDir: string;
  /** Holds pki/, one directory per component (with its <name>.log), kubeconfigs/. */
  tempDir: string;
  pids: { etcd: number; apiserver: number; scheduler?: number; controllerManager?: number };
  logs: { etcd: string; apiserver: string; scheduler?: string; controllerManager?: string };
  /** Runs kubectl against this control plane as admin (or opts.kubeconfig). */
  kubectl(args: string[], opts?: KubectlOptions): Promise<KubectlResult>;
  /** Creates namespace + ServiceAccount if needed, gets a token through TokenRequest, returns a kubeconfig path. */
  serviceAccountKubeconfig(namespace: string, name: string): Promise<string>;
  /** Stops every process it started (whole process groups) and removes the temp dir; idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_SERVICE_CIDR = '10.0.0.0/24';
const SA_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** Starts etcd + kube-apiserver (and optionally scheduler, controller-manager) on free loopback ports with real TLS and RBAC. */
export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  if (!(timeoutMs > 0)) throw new TestEnvInputError(`startTimeoutMs: must be a positive number of milliseconds, got ${timeoutMs}`);
  if (opts.controllers?.length === 0) throw new TestEnvInputError('controllers: must list at least one controller (use ["*"] for the defaults)');
  const binDir = opts.binDir ?? (await kubeBinDir());
  await assertBinDir(binDir);
  const persistent = opts.persistent;
  const tempDir = persistent ? persistent.stateDir : await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'qvirt-testenv-'));
  if (persistent) await mkdir(tempDir, { recursive: true });
  const pgidsFile = join(tempDir, '.pgids');
  const procs: ManagedProcess[] = [];
  let watchdogPid: number | undefined = persistent ? undefined : startWatchdog(tempDir);
  let removeDir = !opts.keepTempDir && !persistent;
  const killNow = (): void => {
    for (const p of procs) p.killNow();
    if (watchdogPid) killGroup(watchdogPid);
    if (removeDir) rmSync(tempDir, { recursive: true, force: true });
  };
  const unregister = persistent ? () => undefined : cleanupOnExit({ killNow });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      // Reverse start order: clients before the apiserver, the apiserver before etcd.
      for (const p of [...procs].reverse()) await p.stop();
      if (watchdogPid) killGroup(watchdogPid);
      watchdogPid = undefined;
      if (removeDir) await rm(tempDir, { recursive: true, force: true });
      unregister();
    })());

  try {
    const dirs = { pki: join(tempDir, 'pki'), kubeconfigs: join(tempDir, 'kubeconfigs') };
    await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));
    const { etcdClientPort, etcdPeerPort, apiPort, schedPort, cmPort } = {
      ...(await distinctFreePorts(['etcdClientPort', 'etcdPeerPort', 'apiPort', 'schedPort', 'cmPort'] as const)),
      ...(persistent?.ports ?? {}),
    };
    const address = opts.address ?? '127.0.0.1';
    const serviceCidr = opts.serviceCidr ?? DEFAULT_SERVICE_CIDR;
    const pki = await createControlPlanePki(dirs.pki, {
      dnsNames: opts.extraSans?.dnsNames ?? [],
      ipAddresses: [...new Set(['127.0.0.1', address, firstServiceIp(serviceCidr), ...(opts.extraSans?.ipAddresses ?? [])])],
    });
    const server = `https://${address}:${apiPort}`;
    const base = { binDir, pgidsFile, timeoutMs, onSpawn: (p: ManagedProcess) => procs.push(p), persistent: persistent !== undefined };

    const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
    const etcd = await launchComponent({
      ...base,
      name: 'etcd',
      dir: join(tempDir, 'etcd'),
      args: etcdFlags({ dataDir: join(tempDir, 'etcd', 'data'), clientPort: etcdClientPort, peerPort: etcdPeerPort }),
      ready: async () => {
        const r = await httpGet(`${etcdUrl}/health`);
        if (r.status === 200 && r.body.includes('"health":"true"')) return true;
        throw new Error(`HTTP ${r.status} ${r.body}`);
      },
    });

    const apiDir = join(tempDir, 'kube-apiserver');
    const adminTls = { ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem };
    const apiserver = await launchComponent({
      ...base,
      name: 'kube-apiserver',
      dir: apiDir,
      args: apiserverFlags({
        etcdUrl,
        securePort: apiPort,
        certDir: join(apiDir, 'certs'),
        caCert: pki.files.caCert,
        tlsCert: pki.files.apiserverCert,
        tlsKey: pki.files.apiserverKey,
        saPublicKey: pki.files.saPublicKey,
        saPrivateKey: pki.files.saPrivateKey,
        kubeletClientCert: pki.files.kubeletClientCert,
        kubeletClientKey: pki.files.kubeletClientKey,
        serviceCidr,
        serviceAccountIssuer: SA_ISSUER,
        address,
        extraFlags: opts.apiserverFlags ?? [],
      }),
      ready: async () => {
        const r = await httpGet(`${server}/readyz`, adminTls);
        if (r.status === 200) return true;
        throw new Error(
          `HTTP ${r.status} ${r.body
            .split('\n')
            .filter((l) => l.includes('failed'))
            .join('; ')}`,
        );
      },
    });

    const kubeconfigPath = await writeKubeconfig(join(dirs.kubeconfigs, 'admin.kubeconfig'), {
      server,
      caPem: pki.ca.certPem,
      userName: 'qvirt-testenv-admin',
      user: pki.admin,
    });
    const pids: ControlPlane['pids'] = { etcd: etcd.pid, apiserver: apiserver.pid };
    const logs: ControlPlane['logs'] = { etcd: etcd.logPath, apiserver: apiserver.logPath };

    if (opts.withScheduler) {
      const p = await startClientComponent('kube-scheduler', schedPort, pki, pki.scheduler, server, tempDir, dirs.kubeconfigs, base, (c) =>
        schedulerFlags({ ...c, extraFlags: opts.schedulerFlags ?? [] }),
      );
      pids.scheduler = p.pid;
      logs.scheduler = p.logPath;
    }
    if (opts.withControllerManager) {
      const p = await startClientComponent('kube-controller-manager', cmPort, pki, pki.controllerManager, server, tempDir, dirs.kubeconfigs, base, (c) =>
        controllerManagerFlags({
          ...c,
          caCert: pki.files.caCert,
          caKey: pki.files.caKey,
          saPrivateKey: pki.files.saPrivateKey,
          serviceCidr,
          controllers: opts.controllers ?? ['*'],
          extraFlags: opts.controllerManagerFlags ?? [],
        }),
      );
      pids.controllerManager = p.pid;
      logs.controllerManager = p.logPath;
    }

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath);
    return {
      kubeconfigPath,
      server,
      pkiDir: dirs.pki,
      serviceCidr,
      caPem: pki.ca.certPem,
      kubeConfig,
      binDir,
      tempDir,
      pids,
      logs,
      kubectl: (args, kopts) => runKubectl(binDir, kubeconfigPath, args, kopts),
      serviceAccountKubeconfig: (namespace, name) =>
        serviceAccountKubeconfig({ admin: kubeConfig, server, caPem: pki.ca.certPem, dir: dirs.kubeconfigs, namespace, name }),
      stop,
    };
  } catch (err) {
    // Keep the logs of a failed start: the error names them.
    removeDir = false;
    await stop();
    if (err instanceof ControlPlaneStartError) throw err;
    throw new ControlPlaneStartError('control plane', (err as Error).message, undefined, `temp dir kept: ${tempDir}`);
  }
}

type LaunchBase = { binDir: string; pgidsFile: string; timeoutMs: number; onSpawn: (p: ManagedProcess) => void; persistent: boolean };
type ClientFlagsInput = { kubeconfig: string; securePort: number; certDir: string };

/** Scheduler or controller-manager: own client cert + kubeconfig, ready when its /healthz says ok. */
async function startClientComponent(
  name: 'kube-scheduler' | 'kube-controller-manager',
  port: number,
  pki: ControlPlanePki,
  cert: { certPem: string; keyPem: string },
  server: string,
  tempDir: string,
  kubeconfigDir: string,
  base: LaunchBase,
  flags: (c: ClientFlagsInput) => string[],
): Promise<ManagedProcess> {
  const kubeconfig = await writeKubeconfig(join(kubeconfigDir, `${name}.kubeconfig`), {
    server,
    caPem: pki.ca.certPem,
    userName: `system:${name}`,
    user: cert,
  });
  const dir = join(tempDir, name);
  return launchComponent({
    ...base,
    name,
    dir,
    args: flags({ kubeconfig, securePort: port, certDir: join(dir, 'certs') }),
    ready: async () => {
      // Serves a self-signed cert from its cert-dir; /healthz is always allowed.
      const r = await httpGet(`https://127.0.0.1:${port}/healthz`, { insecure: true });
      if (r.status === 200) return true;
      throw new Error(`HTTP ${r.status} ${r.body}`);
    },
  });
}

async function distinctFreePorts<K extends string>(names: readonly K[]): Promise<Record<K, number>> {
  const ports = new Set<number>();
  while (ports.size < names.length) ports.add(await freePort());
  const list = [...ports];
  return Object.fromEntries(names.map((n, i) => [n, list[i]])) as Record<K, number>;
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
