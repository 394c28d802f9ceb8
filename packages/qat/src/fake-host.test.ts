import { lstat, readFile, readlink, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { buildFakeQatHost, vfAddress } from './fake-host.js';
import { FakeHostSpecError } from './errors.js';

const root = useTempDir('qat-fake-');

describe('buildFakeQatHost (simulated tree)', () => {
  it('lays out sysfs like a real host: relative links, uevent, PF/VF links, groups, debugfs, dev nodes', async () => {
    const host = await buildFakeQatHost(root(), { pfs: [{ generation: 'c62x', address: '0000:3d:00.0', numaNode: 1, vfs: 2 }] });
    const sys = host.sysfsRoot;
    expect(await readlink(join(sys, 'bus/pci/devices/0000:3d:01.0'))).toBe('../../../devices/pci0000:3d/0000:3d:01.0');
    const vf = join(sys, 'devices/pci0000:3d/0000:3d:01.0');
    expect(await readlink(join(vf, 'driver'))).toBe('../../../bus/pci/drivers/vfio-pci');
    expect(await readlink(join(vf, 'iommu_group'))).toBe('../../../kernel/iommu_groups/11');
    expect(await readlink(join(vf, 'physfn'))).toBe('../0000:3d:00.0');
    expect(await readlink(join(sys, 'devices/pci0000:3d/0000:3d:00.0/virtfn1'))).toBe('../0000:3d:01.1');
    expect(await readlink(join(sys, 'bus/pci/drivers/vfio-pci/0000:3d:01.0'))).toBe('../../../../devices/pci0000:3d/0000:3d:01.0');
    expect(await readlink(join(sys, 'bus/pci/drivers/c6xx/0000:3d:00.0'))).toBe('../../../../devices/pci0000:3d/0000:3d:00.0');
    expect(await readlink(join(sys, 'kernel/iommu_groups/11/devices/0000:3d:01.0'))).toBe('../../../../devices/pci0000:3d/0000:3d:01.0');
    expect(await readFile(join(vf, 'uevent'), 'utf8')).toBe(
      'DRIVER=vfio-pci\nPCI_CLASS=B4000\nPCI_ID=8086:37C9\nPCI_SUBSYS_ID=8086:0000\nPCI_SLOT_NAME=0000:3d:01.0\n' +
        'MODALIAS=pci:v00008086d000037C9sv00008086sd00000000bc0Bsc40i00\n',
    );
    expect(await readFile(join(vf, 'vendor'), 'utf8')).toBe('0x8086\n');
    expect(await readFile(join(vf, 'device'), 'utf8')).toBe('0x37c9\n');
    expect(await readFile(join(vf, 'numa_node'), 'utf8')).toBe('1\n');
    expect((await readFile(join(vf, 'config'))).subarray(0, 4)).toEqual(Buffer.from([0x86, 0x80, 0xc9, 0x37]));
    const pf = join(sys, 'devices/pci0000:3d/0000:3d:00.0');
    expect(await readFile(join(pf, 'sriov_numvfs'), 'utf8')).toBe('2\n');
    expect(await readFile(join(pf, 'sriov_totalvfs'), 'utf8')).toBe('16\n');
    expect(await readFile(join(sys, 'kernel/debug/qat_c6xx_0000:3d:00.0/heartbeat/status'), 'utf8')).toBe('0\n');
    expect((await readdir(join(host.devRoot, 'vfio'))).sort()).toEqual(['11', '12', 'vfio']);
    expect((await lstat(join(host.devRoot, 'kvm'))).isFile()).toBe(true);
  });

  it('Gen4 PFs get qat/cfg_services and qat/state; VFs follow the PF at function 1', async () => {
    const host = await buildFakeQatHost(root(), { pfs: [{ generation: '4xxx', address: '0000:6b:00.0', services: 'dc', vfs: 9 }] });
    const pf = join(host.sysfsRoot, 'devices/pci0000:6b/0000:6b:00.0');
    expect(await readFile(join(pf, 'qat/cfg_services'), 'utf8')).toBe('dc\n');
    expect(await readFile(join(pf, 'qat/state'), 'utf8')).toBe('up\n');
    expect(host.pfs[0]?.vfs.at(-1)).toBe('0000:6b:01.1');
    expect(vfAddress('0000:6b:00.0', '4xxx', 0)).toBe('0000:6b:00.1');
    expect(vfAddress('0000:3d:00.0', 'c62x', 15)).toBe('0000:3d:02.7');
  });

  it('adds and removes VFs like sriov_numvfs changes', async () => {
    const host = await buildFakeQatHost(root(), { pfs: [{ generation: 'c62x', address: '0000:3d:00.0', vfs: 1 }] });
    const added = await host.addVf('0000:3d:00.0');
    expect(added).toBe('0000:3d:01.1');
    expect(await readFile(join(host.sysfsRoot, 'bus/pci/devices/0000:3d:00.0/sriov_numvfs'), 'utf8')).toBe('2\n');
    expect(await host.removeLastVf('0000:3d:00.0')).toBe('0000:3d:01.1');
    await expect(lstat(join(host.sysfsRoot, 'bus/pci/devices/0000:3d:01.1'))).rejects.toThrow(/ENOENT/);
    await expect(lstat(join(host.devRoot, 'vfio', '12'))).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(host.sysfsRoot, 'bus/pci/devices/0000:3d:00.0/sriov_numvfs'), 'utf8')).toBe('1\n');
  });

  it('rejects inconsistent specs', async () => {
    await expect(
      buildFakeQatHost(root(), {
        pfs: [
          { generation: 'c62x', address: '0000:3d:00.0' },
          { generation: 'c62x', address: '0000:3d:00.0' },
        ],
      }),
    ).rejects.toThrow(FakeHostSpecError);
  });
});
