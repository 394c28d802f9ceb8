// Our plugin against the Go conformance harness (e2e/conformance), which
// plays the kubelet with the kubelet's own generated v1beta1 client.
import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { buildFakeQatHost, type FakeQatHost } from '@qvirt/qat/testing';
import { DevicePluginServer, QatDeviceSource, sharedDiscovery } from '../src/index.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
let harness: string;
const root = useTempDir('dpc-', { scope: 'all' });
let host: FakeQatHost;

beforeAll(async () => {
  // Cached under $QVIRT_CACHE/conformance/<hash of go.mod, go.sum, *.go>/ (first build downloads modules).
  const { stdout } = await promisify(execFile)('bash', [join(repo, 'e2e/conformance/build.sh')], { timeout: 600_000 });
  harness = stdout.trim().split('\n').pop() ?? '';
  host = await buildFakeQatHost(join(root(), 'host'), {
    pfs: [
      { generation: 'c62x', address: '0000:3d:00.0', numaNode: 0, vfs: [{}, {}, {}, { driver: 'c6xxvf' }] },
      { generation: 'c62x', address: '0000:3f:00.0', vfs: [{}, { devNode: false }] },
    ],
  });
}, 600_000);

interface HarnessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const DEVICES = [
  { id: '0000:3d:01.0', health: 'Healthy', numa: 0 },
  { id: '0000:3d:01.1', health: 'Healthy', numa: 0 },
  { id: '0000:3d:01.2', health: 'Healthy', numa: 0 },
  { id: '0000:3f:01.0', health: 'Healthy', numa: null },
  { id: '0000:3f:01.1', health: 'Unhealthy', numa: null },
];

/** Starts the harness, then our plugin once the harness's kubelet.sock is up; resolves when the harness exits. */
async function runHarness(name: string, devices: unknown[], extraArgs: string[]): Promise<HarnessResult> {
  const pluginDir = join(root(), name, 'plugins');
  await mkdir(pluginDir, { recursive: true });
  const expectFile = join(root(), name, 'expect.json');
  await writeFile(expectFile, JSON.stringify({ devices }));
  const args = [
    '-dir',
    pluginDir,
    '-resource',
    'qat.intel.com/generic',
    '-sysfs-root',
    host.sysfsRoot,
    '-dev-root',
    host.devRoot,
    '-expect',
    expectFile,
    ...extraArgs,
  ];
  const child = spawn(harness, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: HarnessResult = { code: null, stdout: '', stderr: '' };
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (b: Buffer) => {
      out.stdout += b.toString();
      if (out.stdout.includes('READY ')) resolve();
    }),
  );
  child.stderr.on('data', (b: Buffer) => (out.stderr += b.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', (code) => resolve(void (out.code = code))));
  await Promise.race([ready, exited]);
  const discover = sharedDiscovery({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
  const plugin = new DevicePluginServer({ source: new QatDeviceSource({ resourceName: 'qat.intel.com/generic', devRoot: host.devRoot, discover }), pluginDir });
  try {
    await plugin.start();
    await exited;
  } finally {
    await plugin.stop();
    child.kill();
  }
  return out;
}

describe('device plugin conformance (Go harness as the kubelet)', () => {
  it('passes every check: Register, ListAndWatch, GetPreferredAllocation, Allocate, heartbeat flip, re-register', async () => {
    // Expectations are written from the fake host's layout, not from our discovery.
    const out = await runHarness('pass', DEVICES, ['-flip-heartbeat', 'c6xx/0000:3d:00.0', '-check-reregister']);
    console.log(`conformance harness output:\n${out.stdout}${out.stderr}`);
    expect(out.stderr, out.stderr).toBe('');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^PASS$/m);
    expect(out.stdout).toMatch(/re-registered after/);
  });

  it('the harness is not vacuous: a wrong expectation fails with a FAIL line naming the field', async () => {
    const wrong = DEVICES.map((d) => (d.id === '0000:3d:01.0' ? { ...d, numa: 1 } : d));
    const out = await runHarness('fail', wrong, []);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('FAIL: ListAndWatch: device 0000:3d:01.0 topology');
    expect(out.stdout).not.toMatch(/^PASS$/m);
  });
});
