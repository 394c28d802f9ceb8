// The node agent against a real kube-apiserver (testenv, Node authorizer + RBAC on, the agent with
// a system:node:<name> identity) and a real device plugin (@qvirt/device-plugin over a simulated
// C62x QAT host, 2 PFs x 8 VFs), speaking the v1beta1 gRPC API through kubelet.sock.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevicePluginServer, QatDeviceSource, sharedDiscovery } from '@qvirt/device-plugin';
import { KubeClient, loadKubeConfig } from '@qvirt/kube';
import { buildFakeQatHost } from '@qvirt/qat';
import { eventually, startControlPlane, type ControlPlane } from '@qvirt/testenv';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNodeKubeconfig } from '../../src/stack/node-credentials.js';
import { NodeAgent } from '../src/node-agent.js';
import type { Pod } from '../src/pod.js';

const NODE = 'node-a';
const QAT = 'qat.intel.com/generic';
const ENV = 'PCI_RESOURCE_QAT_INTEL_COM_GENERIC';

let cp: ControlPlane;
let dir: string;
let admin: KubeClient;
let plugin: DevicePluginServer;
let agent: NodeAgent;
let nodeKubeconfig: string;
let allVfs: string[];
const logger = () => pino({ level: 'debug' }, pino.destination({ dest: join(dir, 'agent.log'), sync: true }));

function startAgent(): Promise<void> {
  agent = new NodeAgent({
    kubeConfig: loadKubeConfig({ kubeconfigPath: nodeKubeconfig }),
    nodeName: NODE,
    devicePluginDir: join(dir, 'device-plugins'),
    stateDir: join(dir, 'agent-state'),
    logger: logger(),
    baseEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    statusIntervalMs: 2000,
    pluginWaitMs: 5000,
  });
  return agent.start();
}

function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  return eventually(what, fn, { timeoutMs, intervalMs: 100 });
}

const getPod = (name: string) => admin.get<Pod>(`/api/v1/namespaces/default/pods/${name}`);
const podGone = (name: string) => getPod(name).then(() => false, (err: { statusCode?: number }) => err.statusCode === 404);
const getNode = () => admin.get<{ metadata: { labels: Record<string, string> }; status: { capacity: Record<string, string>; allocatable: Record<string, string>; conditions: { type: string; status: string }[] } }>(`/api/v1/nodes/${NODE}`);

/** A launcher-labelled pod running `script` under sh, bound to the node. */
function launcherPod(name: string, script: string, opts: { qat?: number; grace?: number; label?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: '', ...(opts.label === false ? {} : { labels: { 'kubevirt.io': 'virt-launcher' } }) },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: opts.grace ?? 5,
      containers: [
        {
          name: 'compute',
          image: 'qvirt/virt-launcher:dev',
          command: ['/bin/sh', '-c', script],
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'OUT', value: join(dir, 'out', name) },
          ],
          ...(opts.qat ? { resources: { limits: { [QAT]: String(opts.qat) }, requests: { [QAT]: String(opts.qat) } } } : {}),
        },
      ],
    },
  };
}

async function createPod(pod: Pod): Promise<Pod> {
  const { uid: _uid, ...metadata } = pod.metadata;
  return admin.create<Pod>('/api/v1/namespaces/default/pods', { ...pod, metadata });
}

const phase = (name: string, want: string) => waitFor(`pod ${name} ${want}`, async () => {
  const p = await getPod(name);
  return p.status?.phase === want ? p : undefined;
});

const SERVE = 'trap "echo TERM >> $OUT.term; exit 0" TERM; while :; do sleep 0.1; done';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qvirt-node-agent-'));
  await mkdir(join(dir, 'out'));
  cp = await startControlPlane();
  admin = new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: cp.kubeconfigPath }) });
  // No controller-manager here: the ServiceAccount admission plugin needs the default SA.
  await admin.create('/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'default' } });
  nodeKubeconfig = await writeNodeKubeconfig({ pkiDir: join(cp.tempDir, 'pki'), server: cp.server, nodeName: NODE, kubeconfigPath: join(dir, 'node.kubeconfig') });
  const host = await buildFakeQatHost(join(dir, 'host'), { pfs: [{ generation: 'c62x', vfs: 8 }, { generation: 'c62x', vfs: 8 }] });
  allVfs = host.pfs.flatMap((p) => p.vfs);
  plugin = new DevicePluginServer({
    source: new QatDeviceSource({ resourceName: QAT, devRoot: host.devRoot, discover: sharedDiscovery({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot }) }),
    pluginDir: join(dir, 'device-plugins'),
  });
  await startAgent();
  await plugin.start();
});

afterAll(async () => {
  await agent?.stop();
  await plugin?.stop();
  await admin?.close();
  await cp?.stop();
  // Any pod process a failed test left behind.
  for (const p of agent?.runningPods() ?? []) {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('node agent', () => {
  it('registers a Ready node with the QAT VFs the plugin advertises through ListAndWatch', async () => {
    expect(allVfs).toHaveLength(16);
    const node = await waitFor('node capacity', async () => {
      const n = await getNode();
      return n.status?.capacity?.[QAT] === '16' ? n : undefined;
    });
    expect(node.metadata.labels['qvirt.io/simulated-qat']).toBe('true');
    expect(node.status.allocatable[QAT]).toBe('16');
    expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    const lease = await admin.get<{ spec: { holderIdentity: string } }>(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${NODE}`);
    expect(lease.spec.holderIdentity).toBe(NODE);
  });

  it('runs a launcher pod with the Allocate env, never giving one VF to two pods', async () => {
    await createPod(launcherPod('qat-a', `echo "$${ENV}" > $OUT.env; ${SERVE}`, { qat: 2 }));
    await createPod(launcherPod('qat-b', `echo "$${ENV}" > $OUT.env; ${SERVE}`, { qat: 2 }));
    const a = await phase('qat-a', 'Running');
    await phase('qat-b', 'Running');
    expect(a.status?.containerStatuses?.[0]).toMatchObject({ name: 'compute', ready: true, state: { running: {} } });
    const read = (n: string) => waitFor(`env of ${n}`, async () => existsSync(join(dir, 'out', `${n}.env`)) && (await readFile(join(dir, 'out', `${n}.env`), 'utf8')).trim());
    const envA = (await read('qat-a')).split(',');
    const envB = (await read('qat-b')).split(',');
    expect(envA).toHaveLength(2);
    expect(envB).toHaveLength(2);
    for (const addr of [...envA, ...envB]) expect(allVfs).toContain(addr);
    expect(new Set([...envA, ...envB]).size).toBe(4);
    // GetPreferredAllocation spreads one pod's VFs across the two PFs.
    expect(new Set(envA.map((a) => a.slice(0, 7))).size).toBe(2);
    const allocation = JSON.parse(readFileSync(join(dir, 'agent-state', 'pods', a.metadata.uid, 'allocation.json'), 'utf8')) as { response: { devices: { container_path: string }[] } }[];
    expect(allocation[0]?.response.devices.map((d) => d.container_path)).toContain('/dev/vfio/vfio');
  });

  it('fails a pod asking for more VFs than are free with the kubelet admission error', async () => {
    await createPod(launcherPod('qat-too-many', 'exit 0', { qat: 13 }));
    const p = await phase('qat-too-many', 'Failed');
    expect(p.status).toMatchObject({ reason: 'UnexpectedAdmissionError', message: `Allocate failed due to requested number of devices unavailable for ${QAT}. Requested: 13, Available: 12` });
  });

  it('deletion: SIGTERM, final status, the object removed; the devices are free again', async () => {
    for (const name of ['qat-a', 'qat-b']) await admin.delete(`/api/v1/namespaces/default/pods/${name}`);
    for (const name of ['qat-a', 'qat-b']) await waitFor(`${name} gone`, () => podGone(name));
    expect(readFileSync(join(dir, 'out', 'qat-a.term'), 'utf8').trim()).toBe('TERM');
    await createPod(launcherPod('qat-all', `echo "$${ENV}" > $OUT.env; ${SERVE}`, { qat: 16 }));
    await phase('qat-all', 'Running');
    await admin.delete('/api/v1/namespaces/default/pods/qat-all');
    await waitFor('qat-all gone', () => podGone('qat-all'));
  });

  it('SIGKILLs a process that ignores SIGTERM once the grace period is over', async () => {
    await createPod(launcherPod('stubborn', `trap "" TERM; ${SERVE.replace(/^trap "[^"]*" TERM; /, '')}`, { grace: 2 }));
    await phase('stubborn', 'Running');
    const t0 = Date.now();
    await admin.delete('/api/v1/namespaces/default/pods/stubborn');
    await waitFor('stubborn gone', () => podGone('stubborn'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect(agent.runningPods()).toEqual([]);
  });

  it('posts Succeeded on exit 0 and Failed with the exit code and last log line otherwise', async () => {
    await createPod(launcherPod('ok', 'exit 0'));
    await createPod(launcherPod('bad', 'echo "virt-launcher: the guest crashed" >&2; exit 3'));
    const ok = await phase('ok', 'Succeeded');
    expect(ok.status?.containerStatuses?.[0]?.state).toMatchObject({ terminated: { exitCode: 0, reason: 'Completed' } });
    const bad = await phase('bad', 'Failed');
    expect(bad.status?.containerStatuses?.[0]?.state).toMatchObject({ terminated: { exitCode: 3, reason: 'Error', message: 'virt-launcher: the guest crashed' } });
  });

  it('leaves pods without the launcher label Pending', async () => {
    await createPod(launcherPod('not-ours', 'exit 0', { label: false }));
    await new Promise((r) => setTimeout(r, 1500));
    const p = await getPod('not-ours');
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.containerStatuses).toBeUndefined();
  });

  it('an agent restart adopts running pods and their devices; deletion still works after it', async () => {
    await createPod(launcherPod('survivor', `echo "$${ENV}" > $OUT.env; ${SERVE}`, { qat: 10 }));
    await phase('survivor', 'Running');
    const [before] = agent.runningPods();
    await agent.stop();
    await startAgent();
    expect(agent.runningPods()).toEqual([before]);
    // The plugin re-registers after the agent removed its socket; 6 VFs are free, not 16.
    await waitFor('capacity after restart', async () => (await getNode()).status.allocatable[QAT] === '16');
    await createPod(launcherPod('seven', 'exit 0', { qat: 7 }));
    expect((await phase('seven', 'Failed')).status?.message).toMatch(/Requested: 7, Available: 6/);
    await admin.delete('/api/v1/namespaces/default/pods/survivor');
    await waitFor('survivor gone', () => podGone('survivor'));
    expect(readFileSync(join(dir, 'out', 'survivor.term'), 'utf8').trim()).toBe('TERM');
  });

  it('a plugin that goes away takes its devices out of allocatable until it registers again', async () => {
    await plugin.stop();
    await waitFor('allocatable 0', async () => (await getNode()).status.allocatable[QAT] === '0');
    await plugin.start();
    await waitFor('allocatable 16', async () => (await getNode()).status.allocatable[QAT] === '16');
  });
});
