import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { buildFakeQatHost } from '@qvirt/qat/testing';
import { runDiscover } from './discover.command.js';

const root = useTempDir('vh-disc-');

describe('runDiscover', () => {
  it('prints exactly the shape docs/qat-host-setup.md shows', async () => {
    const host = await buildFakeQatHost(join(root(), 'h'), {
      pfs: [
        { generation: 'c62x', address: '0000:3d:00.0', numaNode: 0, vfs: [{}, { driver: 'c6xxvf' }] },
        { generation: '4xxx', address: '0000:6b:00.0', services: 'dc', vfs: 1, heartbeat: -1 },
      ],
    });
    const out = await runDiscover({ mode: 'discover', sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
    expect(JSON.parse(JSON.stringify(out))).toEqual({
      resources: {
        'qat.intel.com/dc': [
          { address: '0000:6b:00.1', pf: '0000:6b:00.0', generation: '4xxx', driver: 'vfio-pci', iommuGroup: '14', numaNode: null, health: 'Unhealthy' },
        ],
        'qat.intel.com/generic': [
          { address: '0000:3d:01.0', pf: '0000:3d:00.0', generation: 'c62x', driver: 'vfio-pci', iommuGroup: '11', numaNode: 0, health: 'Healthy' },
        ],
      },
      ignored: [{ address: '0000:3d:01.1', reason: 'driver c6xxvf, not vfio-pci' }],
    });
    expect(Object.keys(out.resources['qat.intel.com/generic']?.[0] ?? {})).toEqual([
      'address',
      'pf',
      'generation',
      'driver',
      'iommuGroup',
      'numaNode',
      'health',
    ]);
  });

  it('refuses a missing or non-directory root naming the flag', async () => {
    await writeFile(join(root(), 'file'), '');
    await expect(runDiscover({ mode: 'discover', sysfsRoot: join(root(), 'nope'), devRoot: root() })).rejects.toThrow(
      `discover: --sysfs-root ${join(root(), 'nope')}: no such directory`,
    );
    await expect(runDiscover({ mode: 'discover', sysfsRoot: root(), devRoot: join(root(), 'file') })).rejects.toThrow(/--dev-root .*: not a directory/);
  });
});
