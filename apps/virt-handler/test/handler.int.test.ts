// virt-handler end to end on one simulated node: real kube-apiserver + etcd, virt-handler as a
// process with its own ServiceAccount (deploy/base/virt-handler/rbac.yaml), real launchers
// (private libvirtd + QEMU, emulation) started as the kubelet would, a simulated QAT sysfs and a
// fake kubelet Registration peer. The test plays virt-controller (phase Scheduled + nodeName).
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import { useTempDir } from '@qvirt/testing/vitest';
import { buildFakeQatHost, type FakeQatHost } from '@qvirt/qat/testing';
import { resourcePath } from '@qvirt/kube';
import { LibvirtConnection, qemuUnixUri } from '@qvirt/libvirt';
import type { VirtualMachineInstance } from '@qvirt/api';
import {
  FakeKubelet,
  createScheduledVmi,
  getVmi,
  qemuPid,
  releaseVmi,
  startCluster,
  startHandler,
  startLauncher,
  stopProc,
  vmiPath,
  type Cluster,
  type HandlerOptions,
  type Proc,
} from './harness.js';

const NODE = 'qvirt-it-node';
const QAT = 'qat.intel.com/generic';

let cluster: Cluster;
let handler: Proc | undefined;
let handlerOpts: HandlerOptions;
const runDir = useTempDir('vh-it-', { scope: 'all', parent: '/run' });
const scratch = useTempDir('vh-it-', { scope: 'all' });
let host: FakeQatHost;
let kubelet: FakeKubelet;
const launchers: Proc[] = [];

beforeAll(async () => {
  // /var/run/kubevirt is under /run on a node; keep socket paths short.
  host = await buildFakeQatHost(join(scratch(), 'host'), {
    pfs: [{ generation: 'c62x', address: '0000:3d:00.0', vfs: 4 }],
    // Not QAT: served only once permittedHostDevices names it.
    otherDevices: [{ address: '0000:af:00.0', vendor: '10de', device: '1eb8', driver: 'vfio-pci', iommuGroup: 90, numaNode: 0 }],
  });
  const pluginDir = join(scratch(), 'device-plugins');
  await mkdir(pluginDir, { recursive: true });
  kubelet = new FakeKubelet(pluginDir);
  await kubelet.start();
  cluster = await startCluster(NODE);
  handlerOpts = {
    nodeName: NODE,
    kubeconfig: cluster.handlerKubeconfig,
    runDir: runDir(),
    pluginDir,
    sysfsRoot: host.sysfsRoot,
    devRoot: host.devRoot,
    metricsPort: 18444 + Math.floor(Math.random() * 1000),
  };
  handler = await startHandler(handlerOpts);
});

afterAll(async () => {
  if (process.env['VH_IT_LOG']) (await import('node:fs')).writeFileSync(process.env['VH_IT_LOG'], handler?.out() ?? '');
  for (const l of launchers) await stopProc(l, 'SIGKILL');
  await stopProc(handler);
  kubelet?.stop();
  await cluster?.cp.stop();
});

async function scheduled(file: string, name: string, env?: Record<string, string>): Promise<{ vmi: VirtualMachineInstance; launcher: Proc }> {
  let launcher: Proc | undefined;
  const vmi = await createScheduledVmi(cluster.admin, file, name, NODE, async (created) => {
    launcher = startLauncher({ uid: created.metadata.uid!, runDir: runDir(), namespace: 'default', name, ...(env ? { env } : {}) });
    launchers.push(launcher);
  });
  return { vmi, launcher: launcher! };
}

const phaseOf = async (name: string, want: string) => {
  const v = await getVmi(cluster.admin, name);
  return v.status?.phase === want ? v : undefined;
};

describe('virt-handler run', () => {
  it('serves the QAT device plugin, labels its Node and exports VF metrics', async () => {
    await eventually('registration of the QAT plugin', () => kubelet.registrations.find((r) => r.resource_name === QAT), { timeoutMs: 30_000 });
    const reg = kubelet.registrations.find((r) => r.resource_name === QAT)!;
    expect(reg).toMatchObject({ version: 'v1beta1', endpoint: 'qat.intel.com-generic.sock' });
    // KVM is served whatever --kvm says (KubeVirt's permanent plugin); --kvm off only picks the domain type.
    const kvm = await eventually('registration of the KVM plugin', () => kubelet.registrations.find((r) => r.resource_name === 'devices.kubevirt.io/kvm'), {
      timeoutMs: 30_000,
    });
    expect((await kubelet.firstDevices(kvm.endpoint)).every((d) => d.health === 'Healthy')).toBe(true);
    const devices = await kubelet.firstDevices(reg.endpoint);
    expect(devices.map((d) => [d.ID, d.health])).toEqual(host.vfs.map((a) => [a, 'Healthy']));
    const alloc = await kubelet.allocate(reg.endpoint, ['0000:3d:01.1']);
    expect(alloc.container_responses[0]!.envs).toEqual({ PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.1' });

    const node = await eventually(
      'node labels',
      async () => {
        const n = await cluster.admin.get<{ metadata: { labels?: Record<string, string> } }>(resourcePath({ version: 'v1', resource: 'nodes', name: NODE }));
        return n.metadata.labels?.['qvirt.io/qat-vfs'] ? n : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(node.metadata.labels).toMatchObject({ 'qvirt.io/qat-generation': 'c62x', 'qvirt.io/qat-vfs': '4', 'kubevirt.io/schedulable': 'true' });

    const metrics = await (await fetch(`http://127.0.0.1:${handlerOpts.metricsPort}/metrics`)).text();
    expect(metrics).toContain(`qvirt_qat_vfs{node="${NODE}",resource="${QAT}",health="Healthy"} 4`);
    expect(metrics).toContain('qvirt_handler_vmi_sync_duration_seconds');

    // permittedHostDevices marks the resource external (Intel's plugin): this node stops serving it.
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kubevirt-config', namespace: 'kubevirt' },
      data: { permittedHostDevices: `pciHostDevices:\n- pciVendorSelector: "8086:37c9"\n  resourceName: ${QAT}\n  externalResourceProvider: true\n` },
    };
    await cluster.admin.create(resourcePath({ version: 'v1', resource: 'configmaps', namespace: 'kubevirt' }), cm);
    const socket = join(handlerOpts.pluginDir, reg.endpoint);
    await eventually('the QAT plugin socket to go away', () => !existsSync(socket), { timeoutMs: 20_000 });
    await cluster.admin.delete(resourcePath({ version: 'v1', resource: 'configmaps', namespace: 'kubevirt', name: 'kubevirt-config' }));
    await eventually('the QAT plugin to be served again', () => existsSync(socket), { timeoutMs: 20_000 });

    // A permitted device that is not QAT (a GPU on vfio-pci, simulated): its own plugin, allocated as KubeVirt's PCI plugin does.
    const gpu = 'nvidia.com/TU104GL_Tesla_T4';
    const gpuCm = { ...cm, data: { permittedHostDevices: `pciHostDevices:\n- pciVendorSelector: "10DE:1EB8"\n  resourceName: ${gpu}\n` } };
    await cluster.admin.create(resourcePath({ version: 'v1', resource: 'configmaps', namespace: 'kubevirt' }), gpuCm);
    const gpuReg = await eventually('registration of the permitted GPU', () => kubelet.registrations.find((r) => r.resource_name === gpu), {
      timeoutMs: 20_000,
    });
    expect(gpuReg.endpoint).toBe('nvidia.com-TU104GL_Tesla_T4.sock');
    expect((await kubelet.firstDevices(gpuReg.endpoint)).map((d) => [d.ID, d.health])).toEqual([['0000:af:00.0', 'Healthy']]);
    const gpuAlloc = await kubelet.allocate(gpuReg.endpoint, ['0000:af:00.0']);
    expect(gpuAlloc.container_responses[0]!.envs).toEqual({ PCI_RESOURCE_NVIDIA_COM_TU104GL_TESLA_T4: '0000:af:00.0' });
    expect(gpuAlloc.container_responses[0]!.devices.map((d) => d.container_path)).toEqual(['/dev/vfio/vfio', '/dev/vfio/90']);
    await cluster.admin.delete(resourcePath({ version: 'v1', resource: 'configmaps', namespace: 'kubevirt', name: 'kubevirt-config' }));
    await eventually('the GPU plugin to stop once no longer permitted', () => !existsSync(join(handlerOpts.pluginDir, gpuReg.endpoint)), { timeoutMs: 20_000 });
  });

  it('drives a plain VMI to Running, survives a handler restart untouched, and shuts the guest down on deletion', async () => {
    const name = 'vmi-plain';
    const { vmi, launcher } = await scheduled('vmi-plain.yaml', name);
    const running = await eventually('phase Running', () => phaseOf(name, 'Running'), { timeoutMs: 120_000 });
    expect(running.status?.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'True' }), expect.objectContaining({ type: 'LiveMigratable', status: 'True' })]),
    );
    const consoleLog = join(runDir(), vmi.metadata.uid!, 'console.log');
    await eventually('the guest boot marker', async () => (await readFile(consoleLog, 'utf8').catch(() => '')).includes('QVIRT-GUEST-BOOTED'), {
      timeoutMs: 120_000,
    });

    // Handler restart: the VM keeps running (same QEMU), status is recomputed from the domain.
    const pid = qemuPid(`default_${name}`);
    expect(pid).toBeGreaterThan(0);
    expect(await stopProc(handler)).toEqual({ code: 0, signal: null });
    await cluster.admin.patch(`${vmiPath('default', name)}/status`, { status: { conditions: [] } }, 'merge');
    handler = await startHandler(handlerOpts);
    const recomputed = await eventually(
      'Ready recomputed after the restart',
      async () => {
        const v = await getVmi(cluster.admin, name);
        return v.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? v : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(recomputed.status?.phase).toBe('Running');
    // Converged: no further status writes (a write loop would bump the resourceVersion).
    await new Promise((r) => setTimeout(r, 2500));
    expect((await getVmi(cluster.admin, name)).metadata.resourceVersion).toBe(recomputed.metadata.resourceVersion);
    expect(qemuPid(`default_${name}`)).toBe(pid);
    expect(handler.logs().some((l) => l.msg === 'domain started')).toBe(false);
    expect((await readFile(consoleLog, 'utf8')).match(/QVIRT-GUEST-BOOTED/g)).toHaveLength(1);

    // Deletion: ACPI shutdown, the guest powers off, the VMI reaches Succeeded, the launcher exits 0.
    await cluster.admin.delete(vmiPath('default', name));
    const done = await eventually('phase Succeeded', () => phaseOf(name, 'Succeeded'), { timeoutMs: 90_000 });
    expect(await readFile(consoleLog, 'utf8')).toContain('QVIRT-GUEST-POWEROFF');
    expect(done.status?.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'False' })]));
    expect(await launcher.exited).toEqual({ code: 0, signal: null });
    await releaseVmi(cluster.admin, name);
    // Once the VMI is gone from the API and its launcher has exited, the handler removes its run directory.
    await eventually('the run directory removed', () => !existsSync(join(runDir(), vmi.metadata.uid!)), { timeoutMs: 30_000 });
    expect(handler.logs().some((l) => l.msg === 'removed the run directory of a VMI whose launcher is gone' && l.uid === vmi.metadata.uid)).toBe(true);
  });

  it('after a handler restart: a guest that powered off meanwhile is Succeeded, a VMI deleted meanwhile loses its run directory', async () => {
    const off = await scheduled('vmi-plain.yaml', 'vmi-self-off');
    const gone = await scheduled('vmi-plain.yaml', 'vmi-gone');
    await eventually('vmi-self-off Running', () => phaseOf('vmi-self-off', 'Running'), { timeoutMs: 120_000 });
    await eventually('vmi-gone Running', () => phaseOf('vmi-gone', 'Running'), { timeoutMs: 120_000 });
    const consoleLog = join(runDir(), off.vmi.metadata.uid!, 'console.log');
    await eventually('the guest boot marker', async () => (await readFile(consoleLog, 'utf8').catch(() => '')).includes('QVIRT-GUEST-BOOTED'), {
      timeoutMs: 120_000,
    });

    expect(await stopProc(handler)).toEqual({ code: 0, signal: null });
    // The guest powers itself off (ACPI from outside the handler, as a `poweroff` inside would).
    const conn = await LibvirtConnection.open(qemuUnixUri(join(runDir(), off.vmi.metadata.uid!, 'libvirt-sock')));
    const dom = await conn.lookupByName('default_vmi-self-off');
    await dom.shutdown();
    await dom.free();
    await conn.close();
    expect(await off.launcher.exited).toEqual({ code: 0, signal: null });
    expect(await readFile(consoleLog, 'utf8')).toContain('QVIRT-GUEST-POWEROFF');
    // Deleted from the API, and its pod stopped as the kubelet would, while no handler watches.
    await cluster.admin.delete(vmiPath('default', 'vmi-gone'));
    await releaseVmi(cluster.admin, 'vmi-gone');
    expect(await stopProc(gone.launcher)).toEqual({ code: 0, signal: null });
    const goneDir = join(runDir(), gone.vmi.metadata.uid!);
    expect(existsSync(goneDir)).toBe(true);

    handler = await startHandler(handlerOpts);
    // From the launcher's exit record: the missed STOPPED event said "shutdown".
    const done = await eventually('vmi-self-off Succeeded', () => phaseOf('vmi-self-off', 'Succeeded'), { timeoutMs: 30_000 });
    expect(done.status?.reason).toBeUndefined();
    await eventually('the run directory of the VMI deleted meanwhile removed', () => !existsSync(goneDir), { timeoutMs: 30_000 });
    expect(existsSync(join(runDir(), 'sockets', `${gone.vmi.metadata.uid!}.sock`))).toBe(false);
    // The final VMI that still exists keeps its directory (its console and logs).
    expect(existsSync(consoleLog)).toBe(true);
    await releaseVmi(cluster.admin, 'vmi-self-off');
    await cluster.admin.delete(vmiPath('default', 'vmi-self-off')).catch(() => undefined);
  });

  it('a launcher killed under a running VMI turns it Failed with the reason', async () => {
    const name = 'vmi-kill';
    const { launcher } = await scheduled('vmi-plain.yaml', name);
    await eventually('phase Running', () => phaseOf(name, 'Running'), { timeoutMs: 120_000 });
    launcher.child.kill('SIGKILL');
    const failed = await eventually('phase Failed', () => phaseOf(name, 'Failed'), { timeoutMs: 60_000 });
    expect(failed.status?.reason).toBe('LauncherExited');
    expect(failed.status?.message).toMatch(new RegExp(`^launcher for VMI default/${name} exited: `));
    expect(failed.status?.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'False', reason: 'LauncherExited' })]));
    await releaseVmi(cluster.admin, name);
    await cluster.admin.delete(vmiPath('default', name)).catch(() => undefined);
  });

  it("a QAT VMI: domain defined with the allocated VF, start fails with libvirt's message, VMI Failed with it; the VF is listed", async () => {
    const name = 'vmi-qat';
    const { vmi, launcher } = await scheduled('vmi-qat.yaml', name, { PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.1' });
    const failed = await eventually('phase Failed', () => phaseOf(name, 'Failed'), { timeoutMs: 120_000 });
    expect(failed.status?.reason).toBe('StartFailed');
    // libvirt's own words (no IOMMU here, or the device is not on this host's vfio-pci).
    expect(failed.status?.message).toMatch(/passthrough of host PCI devices|0000:3d:01\.1|PCI device/i);
    expect(failed.status?.deviceStatus?.hostDeviceStatuses).toEqual([{ name: 'qat1', deviceName: QAT, pciAddress: '0000:3d:01.1', phase: 'Allocated' }]);
    expect(failed.status?.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'LiveMigratable', status: 'False', reason: 'HostDeviceNotLiveMigratable' }),
        expect.objectContaining({ type: 'Synchronized', status: 'False', reason: 'StartFailed', message: failed.status?.message }),
      ]),
    );
    // Nothing claims passthrough: never Running, no "domain started", no QEMU.
    expect(failed.status?.phaseTransitionTimestamps?.some((t) => t.phase === 'Running')).toBe(false);
    expect(handler!.logs().some((l) => l.msg === 'domain started' && l.vmi === name)).toBe(false);
    expect(qemuPid(`default_${name}`)).toBeUndefined();
    // The hostdev the handler defined (the launcher's libvirtd keeps the definition until the pod goes).
    const conn = await LibvirtConnection.open(qemuUnixUri(join(runDir(), vmi.metadata.uid!, 'libvirt-sock')));
    try {
      const dom = await conn.lookupByName(`default_${name}`);
      const xml = await dom.getXMLDesc();
      await dom.free();
      expect(xml).toMatch(/<hostdev mode=['"]subsystem['"] type=['"]pci['"] managed=['"]no['"]>/);
      expect(xml).toMatch(/<address domain=['"]0x0000['"] bus=['"]0x3d['"] slot=['"]0x01['"] function=['"]0x1['"]\/>/);
      expect(xml).toMatch(/<alias name=['"]ua-qat-qat1['"]\/>/);
    } finally {
      await conn.close();
    }
    expect(await stopProc(launcher)).toEqual({ code: 0, signal: null });
    await releaseVmi(cluster.admin, name);
  });
});
