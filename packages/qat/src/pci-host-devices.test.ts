import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { buildFakeQatHost } from './fake-host.js';
import { discoverPciHostDevices, normalizePciSelector } from './pci-host-devices.js';

const root = useTempDir('pci-disc-');

describe('discoverPciHostDevices (SIMULATED sysfs tree)', () => {
  it('finds the functions of the selectors, QAT excepted, and says which can be passed through', async () => {
    const host = await buildFakeQatHost(root(), {
      pfs: [{ generation: 'c62x', address: '0000:3d:00.0', vfs: 2 }],
      otherDevices: [
        { address: '0000:af:00.0', vendor: '10de', device: '1eb8', driver: 'vfio-pci', iommuGroup: 90, numaNode: 1 },
        { address: '0000:af:00.1', vendor: '10de', device: '1eb8', driver: 'nvidia', iommuGroup: 91 },
        { address: '0000:5e:02.0', vendor: '8086', device: '1889', driver: 'vfio-pci', iommuGroup: null },
        { address: '0000:00:1f.0', vendor: '8086', device: 'a1c1', driver: 'lpc_ich', iommuGroup: 92 },
      ],
    });
    const opts = { sysfsRoot: host.sysfsRoot, devRoot: host.devRoot };
    const found = await discoverPciHostDevices(opts, ['10DE:1EB8', '0x8086:0x1889', '8086:37c9']);
    expect(found.map((d) => [d.address, d.pciId, d.driver, d.iommuGroup, d.numaNode, d.health, d.ignoredReason])).toEqual([
      ['0000:5e:02.0', '8086:1889', 'vfio-pci', null, null, 'Healthy', 'no iommu group'],
      ['0000:af:00.0', '10de:1eb8', 'vfio-pci', '90', 1, 'Healthy', null],
      ['0000:af:00.1', '10de:1eb8', 'nvidia', '91', null, 'Healthy', 'driver nvidia, not vfio-pci'],
    ]); // 8086:37c9 is a QAT VF: discoverQat's, not listed here
    expect(await discoverPciHostDevices(opts, [])).toEqual([]);
    expect(await discoverPciHostDevices(opts, ['junk'])).toEqual([]);

    // The group's /dev/vfio node gone: still listed, unhealthy, with the path.
    await rm(join(host.devRoot, 'vfio', '90'));
    const [gpu] = (await discoverPciHostDevices(opts, ['10de:1eb8'])).filter((d) => d.address === '0000:af:00.0');
    expect(gpu).toMatchObject({ health: 'Unhealthy', healthReason: `${join(host.devRoot, 'vfio', '90')} missing` });
  });

  it('normalizes selectors as KubeVirt writes them', () => {
    expect(normalizePciSelector('10DE:1EB8')).toBe('10de:1eb8');
    expect(normalizePciSelector(' 0x8086 : 0x37C9 ')).toBe('8086:37c9');
    for (const bad of ['', '10de', '10de:1eb', 'xxxx:1eb8', '10de:1eb8:00']) expect(normalizePciSelector(bad)).toBeUndefined();
  });
});
