import * as grpc from '@grpc/grpc-js';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { buildFakeQatHost, type FakeQatHost } from '@qvirt/qat/testing';
import { DevicePluginServer, KvmDeviceSource, QatDeviceSource, sharedDiscovery } from '../src/index.js';
import { FakeKubelet } from './fake-kubelet.js';

const root = useTempDir('dp-');
let pluginDir: string;
let kubelet: FakeKubelet;
let host: FakeQatHost;
const servers: DevicePluginServer[] = [];

beforeEach(async () => {
  pluginDir = join(root(), 'plugins');
  host = await buildFakeQatHost(join(root(), 'host'), {
    pfs: [
      { generation: 'c62x', address: '0000:3d:00.0', numaNode: 0, vfs: 3 },
      { generation: 'c62x', address: '0000:3f:00.0', numaNode: 1, vfs: 2 },
    ],
  });
  await mkdir(pluginDir, { recursive: true });
  kubelet = await new FakeKubelet(pluginDir).start();
});

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  await kubelet.stop();
});

function qatPlugin(resourceName = 'qat.intel.com/generic', pollIntervalMs = 300): DevicePluginServer {
  const discover = sharedDiscovery({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
  const s = new DevicePluginServer({ source: new QatDeviceSource({ resourceName, devRoot: host.devRoot, discover }), pluginDir, pollIntervalMs });
  servers.push(s);
  return s;
}

const ids = (m: { devices: { ID: string }[] }): string[] => m.devices.map((d) => d.ID);

describe('DevicePluginServer with a fake kubelet', () => {
  it('registers with the exact v1beta1 request and advertises every VF with topology', async () => {
    const plugin = qatPlugin();
    await plugin.start();
    const reg = await kubelet.registration(1);
    expect(reg).toEqual({
      version: 'v1beta1',
      endpoint: 'qat.intel.com-generic.sock',
      resource_name: 'qat.intel.com/generic',
      options: { pre_start_required: false, get_preferred_allocation_available: true },
    });
    expect((await stat(join(pluginDir, reg.endpoint))).isSocket()).toBe(true);
    const client = kubelet.plugin(reg.endpoint);
    expect(await client.options()).toEqual({ pre_start_required: false, get_preferred_allocation_available: true });
    const stream = client.listAndWatch();
    const first = await stream.waitFor(() => true, 2000);
    expect(first.msg).toEqual({
      devices: [
        { ID: '0000:3d:01.0', health: 'Healthy', topology: { nodes: [{ ID: 0 }] } },
        { ID: '0000:3d:01.1', health: 'Healthy', topology: { nodes: [{ ID: 0 }] } },
        { ID: '0000:3d:01.2', health: 'Healthy', topology: { nodes: [{ ID: 0 }] } },
        { ID: '0000:3f:01.0', health: 'Healthy', topology: { nodes: [{ ID: 1 }] } },
        { ID: '0000:3f:01.1', health: 'Healthy', topology: { nodes: [{ ID: 1 }] } },
      ],
    });
    expect(await client.preStart(['0000:3d:01.0'])).toEqual({});
    stream.cancel();
  });

  it('sends the full list again within 1 s of a heartbeat flip, a missing vfio node, a VF removed and added', async () => {
    const plugin = qatPlugin('qat.intel.com/generic', 500);
    await plugin.start();
    const stream = kubelet.plugin(plugin.socketName).listAndWatch();
    await stream.waitFor((m) => m.devices.length === 5);

    let t = Date.now();
    let from = stream.messages.length;
    await host.setHeartbeat('0000:3d:00.0', -1);
    let hit = await stream.waitFor((m) => m.devices.filter((d) => d.health === 'Unhealthy').length === 3, 1000, from);
    expect(hit.at - t).toBeLessThanOrEqual(1000);
    expect(hit.msg.devices.map((d) => d.health)).toEqual(['Unhealthy', 'Unhealthy', 'Unhealthy', 'Healthy', 'Healthy']);

    t = Date.now();
    from = stream.messages.length;
    await host.setHeartbeat('0000:3d:00.0', 0);
    await host.removeVfioNode(host.groupOf('0000:3f:01.1'));
    hit = await stream.waitFor((m) => m.devices.map((d) => d.health).join() === 'Healthy,Healthy,Healthy,Healthy,Unhealthy', 1000, from);
    expect(hit.at - t).toBeLessThanOrEqual(1000);

    t = Date.now();
    from = stream.messages.length;
    await host.removeLastVf('0000:3d:00.0');
    hit = await stream.waitFor((m) => m.devices.length === 4, 1000, from);
    expect(ids(hit.msg)).toEqual(['0000:3d:01.0', '0000:3d:01.1', '0000:3f:01.0', '0000:3f:01.1']);
    expect(hit.at - t).toBeLessThanOrEqual(1000);

    t = Date.now();
    from = stream.messages.length;
    await host.addVf('0000:3f:00.0');
    hit = await stream.waitFor((m) => m.devices.length === 5, 1000, from);
    expect(ids(hit.msg)).toContain('0000:3f:01.2');
    expect(hit.at - t).toBeLessThanOrEqual(1000);
    // Nothing changed -> nothing sent.
    const count = stream.messages.length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(stream.messages.length).toBe(count);
    stream.cancel();
  });

  it('Allocate returns the vfio nodes (mrw) and PCI_RESOURCE env; refuses unknown and unhealthy IDs', async () => {
    const plugin = qatPlugin();
    await plugin.start();
    const client = kubelet.plugin(plugin.socketName);
    const g = (a: string): string => host.groupOf(a);
    const res = await client.allocate([['0000:3f:01.0', '0000:3d:01.1'], ['0000:3d:01.2']]);
    expect(res.container_responses).toEqual([
      {
        envs: { PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.1,0000:3f:01.0' },
        mounts: [],
        devices: [
          { container_path: '/dev/vfio/vfio', host_path: join(host.devRoot, 'vfio/vfio'), permissions: 'mrw' },
          { container_path: `/dev/vfio/${g('0000:3d:01.1')}`, host_path: join(host.devRoot, 'vfio', g('0000:3d:01.1')), permissions: 'mrw' },
          { container_path: `/dev/vfio/${g('0000:3f:01.0')}`, host_path: join(host.devRoot, 'vfio', g('0000:3f:01.0')), permissions: 'mrw' },
        ],
        annotations: {},
        cdi_devices: [],
      },
      {
        envs: { PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.2' },
        mounts: [],
        devices: [
          { container_path: '/dev/vfio/vfio', host_path: join(host.devRoot, 'vfio/vfio'), permissions: 'mrw' },
          { container_path: `/dev/vfio/${g('0000:3d:01.2')}`, host_path: join(host.devRoot, 'vfio', g('0000:3d:01.2')), permissions: 'mrw' },
        ],
        annotations: {},
        cdi_devices: [],
      },
    ]);

    await expect(client.allocate([['0000:3d:01.0', '0000:99:01.0']])).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: 'resource qat.intel.com/generic: unknown device 0000:99:01.0',
    });
    const stream = client.listAndWatch();
    await host.setHeartbeat('0000:3f:00.0', -1);
    await stream.waitFor((m) => m.devices.some((d) => d.health === 'Unhealthy'), 1000);
    stream.cancel();
    await expect(client.allocate([['0000:3f:01.1']])).rejects.toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: expect.stringMatching(/^resource qat.intel.com\/generic: device 0000:3f:01.1 is Unhealthy \(PF 0000:3f:00.0 heartbeat failed/),
    });

    // Allocate latency (served from the last listing).
    const n = 200;
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      await client.allocate([['0000:3d:01.0']]);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`Allocate latency over ${n} calls (unix socket, 1 VF): p50 ${times[n / 2]?.toFixed(3)} ms, p99 ${times[Math.floor(n * 0.99)]?.toFixed(3)} ms`);
  });

  it('GetPreferredAllocation: must-include first, one NUMA node, spread across PFs', async () => {
    const plugin = qatPlugin();
    await plugin.start();
    const client = kubelet.plugin(plugin.socketName);
    const available = ['0000:3d:01.0', '0000:3d:01.1', '0000:3d:01.2', '0000:3f:01.0', '0000:3f:01.1'];
    const res = await client.preferred([
      { available, mustInclude: [], size: 2 },
      { available, mustInclude: ['0000:3f:01.1'], size: 2 },
      { available, mustInclude: [], size: 4 },
    ]);
    expect(res.container_responses).toEqual([
      { deviceIDs: ['0000:3d:01.0', '0000:3d:01.1'] },
      { deviceIDs: ['0000:3f:01.1', '0000:3f:01.0'] },
      { deviceIDs: ['0000:3d:01.0', '0000:3d:01.1', '0000:3d:01.2', '0000:3f:01.0'] },
    ]);
  });

  it('serves again and re-registers within 2 s when the kubelet deletes the socket', async () => {
    const plugin = qatPlugin();
    await plugin.start();
    await kubelet.registration(1);
    const oldStream = kubelet.plugin(plugin.socketName).listAndWatch();
    await oldStream.waitFor(() => true);

    // Kubelet restart: every socket in the directory goes, a new kubelet.sock appears.
    await kubelet.stop();
    await rm(join(pluginDir, plugin.socketName), { force: true });
    const t = Date.now();
    kubelet = await new FakeKubelet(pluginDir).start();
    const reg = await kubelet.registration(1, 2000);
    expect(Date.now() - t).toBeLessThan(2000);
    expect(reg.endpoint).toBe('qat.intel.com-generic.sock');
    expect((await stat(join(pluginDir, reg.endpoint))).isSocket()).toBe(true);
    const stream = kubelet.plugin(reg.endpoint).listAndWatch();
    expect((await stream.waitFor(() => true)).msg.devices).toHaveLength(5);
    expect(plugin.status()).toMatchObject({ serving: true, registered: true, restarts: 1 });
    stream.cancel();
  });

  it('keeps retrying registration until the kubelet is up', async () => {
    await kubelet.stop();
    await rm(kubelet.socketPath, { force: true });
    const plugin = new DevicePluginServer({ source: new KvmDeviceSource({ devRoot: host.devRoot, count: 3 }), pluginDir, registerRetryMs: 200 });
    servers.push(plugin);
    await plugin.start();
    expect(plugin.status()).toMatchObject({ serving: true, registered: false });
    kubelet = await new FakeKubelet(pluginDir).start();
    const reg = await kubelet.registration(1, 2000);
    expect(reg).toMatchObject({ resource_name: 'devices.kubevirt.io/kvm', endpoint: 'devices.kubevirt.io-kvm.sock' });
  });

  it('KVM source: N shareable IDs, each allocating /dev/kvm mrw; Unhealthy when the node is gone', async () => {
    const plugin = new DevicePluginServer({ source: new KvmDeviceSource({ devRoot: host.devRoot, count: 110 }), pluginDir, pollIntervalMs: 300 });
    servers.push(plugin);
    await plugin.start();
    const client = kubelet.plugin(plugin.socketName);
    const stream = client.listAndWatch();
    const first = await stream.waitFor(() => true);
    expect(first.msg.devices).toHaveLength(110);
    expect(first.msg.devices[0]).toEqual({ ID: 'kvm0', health: 'Healthy', topology: null });
    const res = await client.allocate([['kvm0'], ['kvm1']]);
    expect(res.container_responses.map((c) => [c.devices, c.envs])).toEqual([
      [[{ container_path: '/dev/kvm', host_path: join(host.devRoot, 'kvm'), permissions: 'mrw' }], {}],
      [[{ container_path: '/dev/kvm', host_path: join(host.devRoot, 'kvm'), permissions: 'mrw' }], {}],
    ]);
    await rm(join(host.devRoot, 'kvm'));
    await stream.waitFor((m) => m.devices.every((d) => d.health === 'Unhealthy'), 1000);
    stream.cancel();
  });
});
