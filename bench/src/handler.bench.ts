// virt-handler's node-side hot paths, on a SIMULATED QAT host (buildFakeQatHost):
// 1. QAT discovery of 256 VFs (16 PFs x 16 VFs) against a plain recursive readdir of the same
//    sysfs tree in the same run (the floor for any walk of that tree); medians of alternating runs.
// 2. Device plugin Allocate p99 over gRPC on the plugin's unix socket, against a gRPC no-op
//    (GetDevicePluginOptions) on the same socket and channel in the same run.
import * as grpc from '@grpc/grpc-js';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevicePluginServer, QatDeviceSource, loadDevicePluginProto, sharedDiscovery } from '@qvirt/device-plugin';
import { discoverQat } from '@qvirt/qat';
import { buildFakeQatHost } from '@qvirt/qat/testing';
import { figure, percentile, type BenchFigure } from './figure.js';

const RUNS = 15;
const CALLS = 2000;

export async function benchHandler(): Promise<BenchFigure[]> {
  const root = await mkdtemp(join(tmpdir(), 'qvirt-bench-handler-'));
  try {
    const host = await buildFakeQatHost(join(root, 'host'), { pfs: Array.from({ length: 16 }, () => ({ generation: 'c62x' as const, vfs: 16 })) });
    const opts = { sysfsRoot: host.sysfsRoot, devRoot: host.devRoot };
    const check = await discoverQat(opts);
    const advertised = check.resources['qat.intel.com/generic']?.length ?? 0;
    if (advertised !== 256) throw new Error(`simulated host advertises ${advertised} VFs, expected 256`);

    const discovery: number[] = [];
    const walk: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      await discoverQat(opts);
      discovery.push(performance.now() - t);
      t = performance.now();
      await readdir(host.sysfsRoot, { recursive: true, withFileTypes: true });
      walk.push(performance.now() - t);
    }

    const pluginDir = join(root, 'dp');
    const server = new DevicePluginServer({
      source: new QatDeviceSource({ resourceName: 'qat.intel.com/generic', devRoot: host.devRoot, discover: sharedDiscovery({ ...opts, maxAgeMs: 60_000 }) }),
      pluginDir,
      registerRetryMs: 60_000, // no kubelet here: registration is retried, serving is not affected
    });
    await server.start();
    const { DevicePlugin } = loadDevicePluginProto();
    const client = new DevicePlugin(`unix://${server.socketPath}`, grpc.credentials.createInsecure());
    const call = (method: string, req: object) =>
      new Promise<void>((ok, fail) =>
        (client as unknown as Record<string, (r: object, cb: (e: Error | null) => void) => void>)[method]!.call(client, req, (e) => (e ? fail(e) : ok())),
      );
    const allocate: number[] = [];
    const noop: number[] = [];
    try {
      for (let i = 0; i < 200; i++) await call('GetDevicePluginOptions', {}); // warm the channel
      const vfs = host.vfs;
      for (let i = 0; i < CALLS; i++) {
        let t = performance.now();
        await call('Allocate', { container_requests: [{ devices_ids: [vfs[i % vfs.length]!] }] });
        allocate.push(performance.now() - t);
        t = performance.now();
        await call('GetDevicePluginOptions', {});
        noop.push(performance.now() - t);
      }
    } finally {
      client.close();
      await server.stop();
    }
    return [
      figure(
        'handler.discovery_256_vfs_ms',
        percentile(discovery, 50),
        'ms (median)',
        percentile(walk, 50),
        'baseline: recursive readdir of the same simulated sysfs tree',
      ),
      figure(
        'handler.allocate_p99_ms',
        percentile(allocate, 99),
        'ms (p99)',
        percentile(noop, 99),
        'baseline: GetDevicePluginOptions no-op on the same socket',
      ),
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
