// The local stack's real node: the kubelet, containerd and qvirt as deployed by deploy/overlays/local.
// Checks what a user relies on: versions, the components' workloads, device plugins registered with
// the real kubelet, launcher pods that are real non-privileged containers holding their libvirtd
// and QEMU, kubectl logs/exec, metrics at pod IPs, and VMs that survive a kubelet restart and a
// replaced virt-handler pod. On another cluster (QVIRT_E2E_KUBECONFIG) only the cluster-side checks run.
import { readFile, readdir, stat } from 'node:fs/promises';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import type { E2eCluster } from '../src/e2e/cluster.js';
import { qemuProcesses } from '../src/e2e/node-processes.js';
import { closeSuite, openSuite } from '../src/e2e/suite.js';
import { NS, launcherPods, testVmi, vmiPath, waitPhase, waitVmiGone } from '../src/e2e/vmis.js';

let k: E2eCluster;
beforeAll(async () => {
  k = await openSuite();
});
afterAll(async () => {
  if (k?.node) for (const n of ['containerd', 'kubelet'] as const) await k.node.start(n).catch(() => undefined);
  await closeSuite(k);
});

interface NodeDoc {
  metadata: { name: string };
  status: {
    nodeInfo: { containerRuntimeVersion: string; kubeletVersion: string };
    allocatable: Record<string, string>;
    conditions: { type: string; status: string }[];
  };
}
interface PodDoc {
  metadata: { name: string; uid: string };
  spec: { containers: { name: string; securityContext?: { privileged?: boolean; capabilities?: { add?: string[] } } }[] };
  status: { podIP?: string; phase?: string; containerStatuses?: { name: string; containerID?: string; ready?: boolean }[] };
}

const nodes = async () => (await k.client.get<{ items: NodeDoc[] }>('/api/v1/nodes')).items;
const kubevirtPods = async (label: string) => (await k.client.get<{ items: PodDoc[] }>('/api/v1/namespaces/kubevirt/pods', { labelSelector: label })).items;
const CAP_SYS_ADMIN = 21n;

/** Pids on this host whose cgroup paths name the pod (cgroupfs driver: .../pod<uid>/...). */
async function pidsInPod(podUid: string): Promise<number[]> {
  const out: number[] = [];
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const cg = await readFile(`/proc/${e}/cgroup`, 'utf8').catch(() => '');
    if (cg.includes(`pod${podUid}`)) out.push(Number(e));
  }
  return out;
}
const exeOf = (pid: number) =>
  readFile(`/proc/${pid}/cmdline`, 'utf8').then(
    (c) => c.split('\0')[0] ?? '',
    () => '',
  );

describe('the real node', () => {
  it('is Ready with containerd 2.3 and kubelet v1.37.2; qvirt runs as Deployments and a DaemonSet', async () => {
    const list = await nodes();
    expect(list.length).toBeGreaterThan(0);
    for (const n of list) expect(n.status.conditions.find((c) => c.type === 'Ready')?.status, n.metadata.name).toBe('True');
    if (k.local) {
      expect(list.map((n) => n.status.nodeInfo.containerRuntimeVersion)).toEqual([expect.stringMatching(/^containerd:\/\/2\.3\.\d+/)]);
      expect(list.map((n) => n.status.nodeInfo.kubeletVersion)).toEqual(['v1.37.2']);
    }
    for (const d of ['virt-api', 'virt-controller']) {
      const dep = await k.client.get<{ status: { conditions?: { type: string; status: string }[] } }>(`/apis/apps/v1/namespaces/kubevirt/deployments/${d}`);
      expect(dep.status.conditions?.find((c) => c.type === 'Available')?.status, d).toBe('True');
    }
    const ds = await k.client.get<{ status: { desiredNumberScheduled: number; numberReady: number } }>(
      '/apis/apps/v1/namespaces/kubevirt/daemonsets/virt-handler',
    );
    expect(ds.status.numberReady).toBe(ds.status.desiredNumberScheduled);
    expect(ds.status.numberReady).toBeGreaterThan(0);
  });

  it('advertises the QAT VFs and KVM through virt-handler’s device plugins', async () => {
    const n = (await nodes())[0]!;
    expect(Number(n.status.allocatable['qat.intel.com/generic'])).toBe(k.qatVfs);
    expect(Number(n.status.allocatable['devices.kubevirt.io/kvm'])).toBeGreaterThan(0);
  });

  it('kubectl logs works for every component; each serves /metrics at its pod IP', async () => {
    const targets: [string, number, 'https' | 'http'][] = [
      ['kubevirt.io=virt-api', 8443, 'https'],
      ['kubevirt.io=virt-controller', 8443, 'http'],
      ['kubevirt.io=virt-handler', 8444, 'http'],
    ];
    for (const [label, port, scheme] of targets) {
      const pods = await kubevirtPods(label);
      expect(pods.length, label).toBeGreaterThan(0);
      for (const p of pods) {
        const logs = await k.kubectl(['-n', 'kubevirt', 'logs', p.metadata.name]);
        expect(logs.length, `logs of ${p.metadata.name}`).toBeGreaterThan(0);
        if (!k.local) continue;
        // The host routes the pod range to the node: pod IPs answer from here.
        const body = await getText(scheme, p.status.podIP!, port, '/metrics');
        expect(body, `${p.metadata.name} /metrics`).toMatch(/^# HELP /m);
      }
    }
  });
});

describe('launcher pods on the real node', () => {
  it('are non-privileged containerd containers holding their libvirtd and QEMU; the guest boots', async () => {
    await k.client.create(vmiPath(), testVmi('node-plain'));
    const vmi = await waitPhase(k.client, 'node-plain', 'Running', 240_000);
    const [pod] = await launcherPods(k.client, vmi.metadata.uid!);
    const full = await k.client.get<PodDoc>(`/api/v1/namespaces/${NS}/pods/${pod!.metadata.name}`);
    const compute = full.spec.containers.find((c) => c.name === 'compute')!;
    expect(compute.securityContext?.privileged).toBe(false);
    expect(compute.securityContext?.capabilities?.add ?? []).not.toContain('SYS_ADMIN');
    expect(full.status.containerStatuses?.find((c) => c.name === 'compute')?.containerID).toMatch(/^containerd:\/\//);
    const exec = await k.kubectl(['-n', NS, 'exec', pod!.metadata.name, '-c', 'compute', '--', 'sh', '-c', 'echo in-pod; grep CapEff /proc/self/status']);
    expect(exec).toContain('in-pod');
    expect(BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(exec)![1]}`) & (1n << CAP_SYS_ADMIN)).toBe(0n);
    if (k.local) {
      const pids = await pidsInPod(full.metadata.uid);
      const exes = await Promise.all(pids.map(exeOf));
      expect(
        exes.some((e) => e.endsWith('libvirtd')),
        exes.join(', '),
      ).toBe(true);
      const [qemu] = qemuProcesses(`${NS}_node-plain`);
      expect(qemu, 'QEMU of node-plain').toBeDefined();
      expect(pids, 'QEMU runs in the pod’s cgroup').toContain(qemu);
      for (const pid of pids) {
        const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
        const eff = /CapEff:\s*([0-9a-f]+)/.exec(status)?.[1];
        if (eff) expect(BigInt(`0x${eff}`) & (1n << CAP_SYS_ADMIN), `pid ${pid} (${await exeOf(pid)})`).toBe(0n);
      }
      await eventually(
        'guest boot marker',
        async () =>
          (await readFile(`${k.local!.runDir}/${vmi.metadata.uid}/console.log`, 'utf8').catch(() => '')).includes('QVIRT-GUEST-BOOTED') ? true : undefined,
        { timeoutMs: 120_000, intervalMs: 500 },
      );
    }
  }, 300_000);

  it('a QAT launcher gets PCI_RESOURCE_QAT_INTEL_COM_GENERIC from the kubelet’s Allocate', async () => {
    const cm = '/api/v1/namespaces/kubevirt/configmaps/kubevirt-config';
    const gates = (await k.client.get<{ data?: Record<string, string> }>(cm)).data?.['feature-gates'] ?? '';
    await k.client.patch(cm, { data: { 'feature-gates': 'QAT' } }, 'merge');
    try {
      await eventually(
        'QAT VMI admitted',
        () =>
          k.client.create(vmiPath(), testVmi('node-qat', { qats: 2 })).then(
            (v) => v,
            () => undefined,
          ),
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      // The launcher runs until the domain start fails (no IOMMU here); read its env meanwhile.
      const env = await eventually(
        'launcher env',
        async () => {
          const v = await k.client.get<{ metadata: { uid: string } }>(vmiPath('node-qat'));
          const [pod] = await launcherPods(k.client, v.metadata.uid);
          if (pod?.status?.phase !== 'Running') return undefined;
          return k.kubectl(['-n', NS, 'exec', pod.metadata.name, '-c', 'compute', '--', 'env']).catch(() => undefined);
        },
        { timeoutMs: 120_000, intervalMs: 100 },
      );
      const line = env.split('\n').find((l) => l.startsWith('PCI_RESOURCE_QAT_INTEL_COM_GENERIC='));
      expect(line).toMatch(/^PCI_RESOURCE_QAT_INTEL_COM_GENERIC=[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7],[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/);
      if (k.local) {
        const failed = await waitPhase(k.client, 'node-qat', 'Failed', 120_000);
        expect(failed.status?.message).toContain("host doesn't support passthrough of host PCI devices");
      }
    } finally {
      await k.client.patch(cm, { data: { 'feature-gates': gates } }, 'merge');
    }
  }, 300_000);

  it('a kubelet restart: device plugins re-register within 1 s, allocatable returns, the VM is untouched', async () => {
    if (!k.node) return;
    const [before] = qemuProcesses(`${NS}_node-plain`);
    expect(before).toBeDefined();
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      await k.node.kill('kubelet', signal);
      const restartedAt = Date.now();
      await k.node.start('kubelet');
      // The kubelet removes every socket in the device-plugins directory as it starts, then serves
      // kubelet.sock; from that moment each plugin must notice and register again. Both ends are
      // read from the kubelet itself: the socket's creation time and its log of registration
      // requests (klog, the host's clock), so the figure does not depend on how fast we poll.
      const pid = await eventually('kubelet running', () => k.node!.pid('kubelet'), { timeoutMs: 60_000, intervalMs: 50 });
      const sock = '/var/lib/kubelet/device-plugins/kubelet.sock';
      const served = await eventually(
        'kubelet.sock back',
        async () => {
          const st = await stat(sock).catch(() => undefined);
          return st && st.mtimeMs > restartedAt ? st.mtimeMs : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 20 },
      );
      const registered = await eventually(
        'both plugins registered with the new kubelet',
        async () => {
          const at = firstRegistrations(await readFile(`${k.local!.logs}/kubelet.log`, 'utf8'), pid);
          return PLUGINS.every((r) => at.has(r)) ? Math.max(...PLUGINS.map((r) => at.get(r)!)) : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      expect((registered - served) / 1000, `${signal}: seconds from kubelet.sock to both plugins registered`).toBeLessThanOrEqual(1);
      await eventually(
        'allocatable back',
        async () => (Number((await nodes())[0]!.status.allocatable['qat.intel.com/generic']) === k.qatVfs ? true : undefined),
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(qemuProcesses(`${NS}_node-plain`)).toEqual([before]);
    }
    expect((await k.client.get<{ status?: { phase?: string } }>(vmiPath('node-plain'))).status?.phase).toBe('Running');
  }, 300_000);

  it('a deleted virt-handler pod is recreated; the VM is untouched and status updates resume', async () => {
    const [before] = k.local ? qemuProcesses(`${NS}_node-plain`) : [undefined];
    const old = (await kubevirtPods('kubevirt.io=virt-handler')).map((p) => p.metadata.uid);
    await k.control.kill('virt-handler');
    await eventually(
      'a new virt-handler pod',
      async () => {
        const now = await kubevirtPods('kubevirt.io=virt-handler');
        return now.length > 0 && now.every((p) => !old.includes(p.metadata.uid)) ? true : undefined;
      },
      { timeoutMs: 120_000 },
    );
    await k.control.start('virt-handler');
    if (k.local) expect(qemuProcesses(`${NS}_node-plain`)).toEqual([before]);
    expect((await k.client.get<{ status?: { phase?: string } }>(vmiPath('node-plain'))).status?.phase).toBe('Running');
    // Status follows again: a delete goes through the new handler to Succeeded and gone.
    await k.client.delete(vmiPath('node-plain'));
    await waitVmiGone(k.client, 'node-plain', 180_000);
    if (k.local) await eventually('QEMU gone', async () => (qemuProcesses(`${NS}_node-plain`).length === 0 ? true : undefined), { timeoutMs: 60_000 });
  }, 300_000);
});

const PLUGINS = ['qat.intel.com/generic', 'devices.kubevirt.io/kvm'];

/** Per resource, when the kubelet process `pid` first logged a registration request (ms since epoch). */
function firstRegistrations(log: string, pid: number): Map<string, number> {
  const out = new Map<string, number>();
  const year = new Date().getUTCFullYear();
  for (const m of log.matchAll(
    /^I(\d{2})(\d{2}) (\d{2}:\d{2}:\d{2}\.\d+)\s+(\d+) server\.go:\d+\] "Got registration request from device plugin with resource" resourceName="([^"]+)"/gm,
  )) {
    if (Number(m[4]) !== pid || out.has(m[5]!)) continue;
    out.set(m[5]!, Date.parse(`${year}-${m[1]}-${m[2]}T${m[3]!.slice(0, 12)}Z`));
  }
  return out;
}

function getText(scheme: 'http' | 'https', host: string, port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = (scheme === 'https' ? request : httpRequest)({ host, port, path, method: 'GET', timeout: 10_000, rejectUnauthorized: false }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (c: string) => (body += c))
        .on('end', () => resolve(body));
    });
    req.on('error', reject).on('timeout', () => req.destroy(new Error(`${scheme}://${host}:${port}${path}: timeout`)));
    req.end();
  });
}
