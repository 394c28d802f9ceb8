// Runs the real virt-handler entry point (from source, through tsx) as a user would.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { buildFakeQatHost, type FakeQatHost } from '@qvirt/qat/testing';

const run = promisify(execFile);
const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');

async function handler(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--conditions=source', '--import', 'tsx', join(appDir, 'src/main.ts'), ...args], {
      cwd: appDir,
      env: { ...process.env, QVIRT_SYSFS_ROOT: '', QVIRT_DEV_ROOT: '', ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const root = useTempDir('vh-cli-', { scope: 'all' });
let host: FakeQatHost;
beforeAll(async () => {
  host = await buildFakeQatHost(join(root(), 'host'), {
    pfs: [{ generation: 'c62x', address: '0000:3d:00.0', numaNode: 1, vfs: [{}, { iommuGroup: null }] }],
  });
});

describe('virt-handler discover (process)', () => {
  it('prints the JSON contract and exits 0; env roots are the defaults', async () => {
    const expected = {
      resources: {
        'qat.intel.com/generic': [
          { address: '0000:3d:01.0', pf: '0000:3d:00.0', generation: 'c62x', driver: 'vfio-pci', iommuGroup: '11', numaNode: 1, health: 'Healthy' },
        ],
      },
      ignored: [{ address: '0000:3d:01.1', reason: 'no iommu group' }],
    };
    const byFlag = await handler(['discover', '--sysfs-root', host.sysfsRoot, '--dev-root', host.devRoot]);
    expect(byFlag).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(byFlag.stdout)).toEqual(expected);
    const byEnv = await handler(['discover'], { QVIRT_SYSFS_ROOT: host.sysfsRoot, QVIRT_DEV_ROOT: host.devRoot });
    expect(JSON.parse(byEnv.stdout)).toEqual(expected);
  });

  it('bad arguments exit 2 with one line on stderr', async () => {
    for (const args of [['discover', '--nope'], ['discover', '--sysfs-root', join(root(), 'missing')], [], ['bogus']]) {
      const r = await handler(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^virt-handler: /);
    }
  });
});
