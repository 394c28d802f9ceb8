// Test harness: a real API server (testenv) with the CRDs and virt-handler's RBAC, virt-handler
// (from source, through tsx) and virt-launcher (its built bin) as real processes, and a fake KUBELET peer
// (Registration server + DevicePlugin client over real gRPC). Nothing of ours is mocked.
import * as grpc from '@grpc/grpc-js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDevicePluginProto } from '@qvirt/device-plugin';
import { KubeClient, loadKubeConfig, resourcePath } from '@qvirt/kube';
import { startControlPlane, type ControlPlane } from '@qvirt/testenv';
import { eventually } from '@qvirt/testing';
import type { VirtualMachineInstance } from '@qvirt/api';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const HANDLER_MAIN = join(REPO, 'apps/virt-handler/src/main.ts');
/** The launcher as npm links it (its package's bin, built by setup), not another workspace's source. */
const LAUNCHER_BIN = join(REPO, 'node_modules/.bin/virt-launcher');

export interface Cluster {
  cp: ControlPlane;
  admin: KubeClient;
  /** virt-handler's own ServiceAccount kubeconfig (deploy/base/virt-handler/rbac.yaml). */
  handlerKubeconfig: string;
}

export async function startCluster(nodeName: string): Promise<Cluster> {
  const cp = await startControlPlane();
  const must = async (args: string[], stdin?: string) => {
    const r = await cp.kubectl(args, stdin === undefined ? {} : { stdin });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  for (const f of readdirSync(join(REPO, 'deploy/crds')).filter((f) => f.endsWith('.yaml'))) await must(['apply', '-f', join(REPO, 'deploy/crds', f)]);
  await must(['apply', '-f', join(REPO, 'deploy/base/namespace.yaml')]);
  await must(['apply', '-f', join(REPO, 'deploy/base/virt-handler/rbac.yaml')]);
  await must(['wait', '--for', 'condition=established', '--timeout=60s', 'crd/virtualmachineinstances.kubevirt.io', 'crd/kubevirts.kubevirt.io']);
  await must(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName } }));
  const handlerKubeconfig = await cp.serviceAccountKubeconfig('kubevirt', 'virt-handler');
  return { cp, admin: new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: cp.kubeconfigPath }) }), handlerKubeconfig };
}

export interface Proc {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  out(): string;
  logs(): { msg?: string; [k: string]: unknown }[];
}

/** `main`: this app's own source (through tsx), or a bin. */
function startProc(main: string, args: string[], env: Record<string, string>): Proc {
  const entry = main.endsWith('.ts') ? ['--conditions=source', '--import', 'tsx', main] : [main];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  const logs = () =>
    out.split('\n').flatMap((l) => {
      if (!l.startsWith('{')) return [];
      try {
        return [JSON.parse(l) as { msg?: string }];
      } catch {
        return [];
      }
    });
  return { child, exited, out: () => out, logs };
}

export interface HandlerOptions {
  nodeName: string;
  kubeconfig: string;
  runDir: string;
  pluginDir: string;
  sysfsRoot: string;
  devRoot: string;
  metricsPort: number;
}

/** `virt-handler run` as the DaemonSet would run it; resolves once it says it is running. */
export async function startHandler(o: HandlerOptions): Promise<Proc> {
  const p = startProc(
    HANDLER_MAIN,
    [
      'run',
      '--kubeconfig',
      o.kubeconfig,
      '--run-dir',
      o.runDir,
      '--device-plugin-dir',
      o.pluginDir,
      '--kvm',
      'off',
      '--metrics-port',
      String(o.metricsPort),
      '--metrics-address',
      '127.0.0.1',
      '--resync-seconds',
      '2',
    ],
    { NODE_NAME: o.nodeName, QVIRT_SYSFS_ROOT: o.sysfsRoot, QVIRT_DEV_ROOT: o.devRoot, UV_THREADPOOL_SIZE: '16' },
  );
  await eventually('virt-handler to start', () => p.logs().some((l) => l.msg === 'virt-handler running') || p.child.exitCode !== null, { timeoutMs: 60_000 });
  if (p.child.exitCode !== null) throw new Error(`virt-handler exited ${p.child.exitCode}: ${p.out()}`);
  return p;
}

/** The launcher as the kubelet would start it in the pod (shared run dir, allocation env). */
export function startLauncher(o: { uid: string; runDir: string; namespace: string; name: string; env?: Record<string, string> }): Proc {
  return startProc(
    LAUNCHER_BIN,
    ['--vmi-uid', o.uid, '--run-dir', o.runDir, '--namespace', o.namespace, '--name', o.name, '--grace-period-seconds', '30'],
    o.env ?? {},
  );
}

export async function stopProc(
  p: Proc | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
  if (!p) return undefined;
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  return p.exited;
}

export const vmiPath = (namespace: string, name: string) =>
  resourcePath({ group: 'kubevirt.io', version: 'v1', resource: 'virtualmachineinstances', namespace, name });

export const TEST_FINALIZER = 'qvirt.io/handler-it-hold';

/** Creates a VMI from an example (with a test-owned finalizer), then schedules it as virt-controller would. */
export async function createScheduledVmi(
  admin: KubeClient,
  file: string,
  name: string,
  nodeName: string,
  schedule: (vmi: VirtualMachineInstance) => Promise<void>,
): Promise<VirtualMachineInstance> {
  const { parse } = await import('yaml');
  const vmi = parse(await readFile(join(REPO, 'examples', file), 'utf8')) as VirtualMachineInstance;
  vmi.metadata = { ...vmi.metadata, name, namespace: 'default', finalizers: [TEST_FINALIZER] };
  const created = await admin.create<VirtualMachineInstance>(
    resourcePath({ group: 'kubevirt.io', version: 'v1', resource: 'virtualmachineinstances', namespace: 'default' }),
    vmi,
  );
  await schedule(created);
  await admin.patch(
    `${vmiPath('default', name)}/status`,
    {
      status: {
        phase: 'Scheduled',
        nodeName,
        phaseTransitionTimestamps: [{ phase: 'Scheduled', phaseTransitionTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') }],
      },
    },
    'merge',
  );
  return created;
}

export async function getVmi(admin: KubeClient, name: string): Promise<VirtualMachineInstance> {
  return admin.get<VirtualMachineInstance>(vmiPath('default', name));
}

export async function releaseVmi(admin: KubeClient, name: string): Promise<void> {
  await admin.patch(vmiPath('default', name), { metadata: { finalizers: null } }, 'merge').catch(() => undefined);
}

/** Pid of the QEMU running a domain (its command line has `guest=<name>,`). */
export function qemuPid(domainName: string): number | undefined {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (cmd.includes('qemu-system') && cmd.includes(`guest=${domainName},`)) return Number(e);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** The KUBELET side of device plugins: serves Registration on kubelet.sock, dials plugins. */
export class FakeKubelet {
  readonly registrations: { resource_name: string; endpoint: string; version: string }[] = [];
  private server: grpc.Server | undefined;
  private clients: grpc.Client[] = [];

  constructor(readonly dir: string) {}

  async start(): Promise<void> {
    const { Registration } = loadDevicePluginProto();
    const server = new grpc.Server();
    server.addService(Registration.service, {
      Register: (call: grpc.ServerUnaryCall<{ resource_name: string; endpoint: string; version: string }, object>, cb: grpc.sendUnaryData<object>) => {
        this.registrations.push(call.request);
        cb(null, {});
      },
    });
    await new Promise<void>((ok, fail) =>
      server.bindAsync(`unix://${join(this.dir, 'kubelet.sock')}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? fail(e) : ok())),
    );
    this.server = server;
  }

  /** Opens ListAndWatch on a plugin endpoint and resolves with its first device list. */
  async firstDevices(endpoint: string): Promise<{ ID: string; health: string }[]> {
    const { DevicePlugin } = loadDevicePluginProto();
    const c = new DevicePlugin(`unix://${join(this.dir, endpoint)}`, grpc.credentials.createInsecure());
    this.clients.push(c);
    const call = (c as unknown as { ListAndWatch(r: object): grpc.ClientReadableStream<{ devices: { ID: string; health: string }[] }> }).ListAndWatch({});
    return new Promise((ok, fail) => {
      call.once('data', (m: { devices: { ID: string; health: string }[] }) => {
        ok(m.devices);
        call.cancel();
      });
      call.once('error', (e: Error) => fail(e));
    });
  }

  async allocate(
    endpoint: string,
    ids: string[],
  ): Promise<{ container_responses: { envs: Record<string, string>; devices: { container_path: string; host_path: string }[] }[] }> {
    const { DevicePlugin } = loadDevicePluginProto();
    const c = new DevicePlugin(`unix://${join(this.dir, endpoint)}`, grpc.credentials.createInsecure());
    this.clients.push(c);
    return new Promise((ok, fail) =>
      (c as unknown as Record<string, (r: object, cb: (e: Error | null, r: never) => void) => void>)['Allocate']!.call(
        c,
        { container_requests: [{ devices_ids: ids }] },
        (e, r) => (e ? fail(e) : ok(r)),
      ),
    );
  }

  stop(): void {
    for (const c of this.clients) c.close();
    this.server?.forceShutdown();
  }
}
