import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { buildFakeQatHost } from './fake-host.js';
import { VfioBindError } from './errors.js';
import { discoverQat } from './vf-discovery.js';
import { bindToVfio } from './vfio-bind.js';

const root = useTempDir('qat-bind-');

describe('bindToVfio on the simulated tree', () => {
  it('writes driver_override, unbind, drivers_probe in that order and the VF becomes advertisable', async () => {
    const host = await buildFakeQatHost(root(), { pfs: [{ generation: 'c62x', address: '0000:3d:00.0', vfDriver: 'c6xxvf', vfs: 2 }] });
    const before = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
    expect(before.ignored.map((i) => i.reason)).toEqual(['driver c6xxvf, not vfio-pci', 'driver c6xxvf, not vfio-pci']);

    const r = await bindToVfio({ sysfsRoot: host.sysfsRoot, address: '0000:3d:01.1', write: host.kernel.write });
    expect(r).toEqual({ address: '0000:3d:01.1', previousDriver: 'c6xxvf', changed: true });
    expect(host.kernel.writes).toEqual([
      { path: 'bus/pci/devices/0000:3d:01.1/driver_override', value: 'vfio-pci' },
      { path: 'bus/pci/drivers/c6xxvf/unbind', value: '0000:3d:01.1' },
      { path: 'bus/pci/drivers_probe', value: '0000:3d:01.1' },
    ]);
    expect(await readFile(join(host.sysfsRoot, 'bus/pci/drivers/c6xxvf/unbind'), 'utf8')).toBe('0000:3d:01.1');

    const after = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
    expect(after.resources['qat.intel.com/generic']?.map((v) => [v.address, v.driver, v.health])).toEqual([['0000:3d:01.1', 'vfio-pci', 'Healthy']]);

    const again = await bindToVfio({ sysfsRoot: host.sysfsRoot, address: '0000:3d:01.1', write: host.kernel.write });
    expect(again.changed).toBe(false);
    expect(host.kernel.writes).toHaveLength(3);
  });

  it('binds an unbound VF without an unbind step', async () => {
    const host = await buildFakeQatHost(root(), { pfs: [{ generation: '4xxx', address: '0000:6b:00.0', vfs: [{ driver: null }] }] });
    await bindToVfio({ sysfsRoot: host.sysfsRoot, address: '0000:6b:00.1', write: host.kernel.write });
    expect(host.kernel.writes.map((w) => w.path)).toEqual(['bus/pci/devices/0000:6b:00.1/driver_override', 'bus/pci/drivers_probe']);
  });

  it('fails with the denylist hint when vfio-pci does not claim the device', async () => {
    const host = await buildFakeQatHost(root(), { pfs: [{ generation: 'c62x', address: '0000:3d:00.0', vfDriver: 'c6xxvf', vfs: 1 }] });
    // Plain writes: nothing acts on them, like a kernel without vfio-pci.
    await expect(bindToVfio({ sysfsRoot: host.sysfsRoot, address: '0000:3d:01.0', settleTimeoutMs: 50 })).rejects.toThrow(
      /driver is c6xxvf, not vfio-pci: is the vfio-pci module loaded\? QAT 1.x VFs on Linux >= 5.9 also need vfio-pci.disable_denylist=1/,
    );
  });

  it('refuses bad addresses, missing devices and non-VFs', async () => {
    const host = await buildFakeQatHost(root(), { pfs: [{ generation: 'c62x', address: '0000:3d:00.0', vfs: 1 }] });
    const opts = { sysfsRoot: host.sysfsRoot, write: host.kernel.write };
    await expect(bindToVfio({ ...opts, address: '3d:01.0' })).rejects.toThrow(VfioBindError);
    await expect(bindToVfio({ ...opts, address: '0000:3d:07.0' })).rejects.toThrow(/no such device/);
    await expect(bindToVfio({ ...opts, address: '0000:3d:00.0' })).rejects.toThrow(/not a QAT VF .*refusing/);
    expect(host.kernel.writes).toEqual([]);
  });
});
