import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverPciHostDevices } from '@qvirt/qat';
import { buildFakeQatHost } from '@qvirt/qat/testing';
import { VfioDeviceSource } from './vfio-device-source.js';

describe('VfioDeviceSource with permitted non-QAT functions (SIMULATED sysfs tree)', () => {
  it('advertises the functions it is given by address, and allocates them like QAT VFs: VFIO nodes once per group, PCI_RESOURCE_<NAME>', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pci-src-'));
    try {
      const host = await buildFakeQatHost(root, {
        pfs: [],
        otherDevices: [
          { address: '0000:af:00.0', vendor: '10de', device: '1eb8', driver: 'vfio-pci', iommuGroup: 90, numaNode: 1 },
          { address: '0000:af:00.1', vendor: '10de', device: '1eb8', driver: 'vfio-pci', iommuGroup: 91, numaNode: 1 },
        ],
      });
      const resourceName = 'nvidia.com/TU104GL_Tesla_T4';
      const source = new VfioDeviceSource({
        resourceName,
        devRoot: host.devRoot,
        discover: () => discoverPciHostDevices({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot }, ['10de:1eb8']),
      });
      const devices = await source.listDevices();
      expect(devices).toEqual([
        { id: '0000:af:00.0', health: 'Healthy', unhealthyReason: null, numaNode: 1, groupKey: '90' },
        { id: '0000:af:00.1', health: 'Healthy', unhealthyReason: null, numaNode: 1, groupKey: '91' },
      ]);
      expect(source.watchPaths).toEqual([join(host.devRoot, 'vfio')]);
      expect(source.allocate([devices[1]!, devices[0]!])).toEqual({
        envs: { PCI_RESOURCE_NVIDIA_COM_TU104GL_TESLA_T4: '0000:af:00.0,0000:af:00.1' },
        devices: [
          { container_path: '/dev/vfio/vfio', host_path: join(host.devRoot, 'vfio', 'vfio'), permissions: 'mrw' },
          { container_path: '/dev/vfio/90', host_path: join(host.devRoot, 'vfio', '90'), permissions: 'mrw' },
          { container_path: '/dev/vfio/91', host_path: join(host.devRoot, 'vfio', '91'), permissions: 'mrw' },
        ],
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
