import { rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { buildFakeQatHost } from './fake-host.js';
import { discoverQat } from './vf-discovery.js';

const root = useTempDir('qat-disc-');

const slots = ['01.0', '01.1', '01.2', '01.3', '01.4', '01.5', '01.6', '01.7', '02.0', '02.1', '02.2', '02.3', '02.4', '02.5', '02.6', '02.7'];
const vfsOn = (bus: string) => slots.map((s) => `0000:${bus}:${s}`);

describe('discoverQat on a C62x host: 3 PFs x 16 VFs, mixed drivers and NUMA nodes', () => {
  it('advertises vfio-pci VFs as qat.intel.com/generic and ignores the rest with reasons', async () => {
    const host = await buildFakeQatHost(root(), {
      pfs: [
        { generation: 'c62x', address: '0000:3d:00.0', numaNode: 0 },
        {
          generation: 'c62x',
          address: '0000:3f:00.0',
          numaNode: 1,
          vfs: [...Array.from({ length: 4 }, () => ({ driver: 'c6xxvf' })), { driver: null }, ...Array.from({ length: 11 }, () => ({}))],
        },
        { generation: 'c62x', address: '0000:da:00.0' },
      ],
    });
    const d = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });

    expect(d.pfs.map((p) => [p.address, p.driver, p.numaNode, p.numVfs, p.totalVfs, p.heartbeat])).toEqual([
      ['0000:3d:00.0', 'c6xx', 0, 16, 16, 'ok'],
      ['0000:3f:00.0', 'c6xx', 1, 16, 16, 'ok'],
      ['0000:da:00.0', 'c6xx', null, 16, 16, 'ok'],
    ]);
    expect(d.pfs[1]?.vfAddresses).toEqual(vfsOn('3f'));
    expect(d.vfs).toHaveLength(48);
    expect(Object.keys(d.resources)).toEqual(['qat.intel.com/generic']);
    const generic = d.resources['qat.intel.com/generic'] ?? [];
    expect(generic.map((v) => v.address)).toEqual([...vfsOn('3d'), ...vfsOn('3f').slice(5), ...vfsOn('da')]);
    expect(generic.map((v) => v.numaNode)).toEqual([...Array(16).fill(0), ...Array(11).fill(1), ...Array(16).fill(null)]);
    // PF0's group is 10, its VFs 11..26; PF1 27, VFs 28..43.
    expect(generic[0]).toEqual({
      address: '0000:3d:01.0',
      pf: '0000:3d:00.0',
      generation: 'c62x',
      deviceId: '37c9',
      driver: 'vfio-pci',
      iommuGroup: '11',
      iommuGroupMembers: ['0000:3d:01.0'],
      numaNode: 0,
      health: 'Healthy',
      healthReason: null,
      heartbeat: 'ok',
      vfioDevicePath: join(host.devRoot, 'vfio', '11'),
      resourceName: 'qat.intel.com/generic',
      ignoredReason: null,
    });
    expect(generic[16]).toMatchObject({ address: '0000:3f:01.5', iommuGroup: '33', pf: '0000:3f:00.0' });
    expect(d.ignored).toEqual([
      { address: '0000:3f:01.0', reason: 'driver c6xxvf, not vfio-pci' },
      { address: '0000:3f:01.1', reason: 'driver c6xxvf, not vfio-pci' },
      { address: '0000:3f:01.2', reason: 'driver c6xxvf, not vfio-pci' },
      { address: '0000:3f:01.3', reason: 'driver c6xxvf, not vfio-pci' },
      { address: '0000:3f:01.4', reason: 'no driver' },
    ]);
  });
});

describe('discoverQat on other generations', () => {
  it('DH895xCC: both VF device IDs (0x0443 and 0x0442) are generic', async () => {
    const host = await buildFakeQatHost(root(), { pfs: [{ generation: 'dh895xcc', address: '0000:03:00.0', vfs: 3 }] });
    await writeFile(join(host.sysfsRoot, 'bus/pci/devices/0000:03:01.2/device'), '0x0442\n');
    const d = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
    expect(d.pfs.map((p) => [p.address, p.generation, p.driver])).toEqual([['0000:03:00.0', 'dh895xcc', 'dh895xcc']]);
    expect((d.resources['qat.intel.com/generic'] ?? []).map((v) => [v.address, v.deviceId, v.generation])).toEqual([
      ['0000:03:01.0', '0443', 'dh895xcc'],
      ['0000:03:01.1', '0443', 'dh895xcc'],
      ['0000:03:01.2', '0442', 'dh895xcc'],
    ]);
    expect(d.ignored).toEqual([]);
  });

  it('4xxx: resources by the PF cfg_services; a PF in state down is not advertised', async () => {
    const host = await buildFakeQatHost(root(), {
      pfs: [
        { generation: '4xxx', address: '0000:6b:00.0', services: 'sym;asym', numaNode: 0, vfs: 2 },
        { generation: '4xxx', address: '0000:70:00.0', services: 'dc', numaNode: 0, vfs: 2 },
        { generation: '420xx', address: '0000:75:00.0', services: 'asym;dc', numaNode: 1, vfs: 1 },
        { generation: '401xx', address: '0000:7a:00.0', services: 'sym', state: 'down', vfs: 1 },
        { generation: '402xx', address: '0000:e8:00.0', services: null, vfs: 1 },
      ],
    });
    const d = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
    const byRes = Object.fromEntries(Object.entries(d.resources).map(([k, v]) => [k, v.map((x) => x.address)]));
    expect(byRes).toEqual({
      'qat.intel.com/asym-dc': ['0000:75:00.1'],
      'qat.intel.com/cy': ['0000:6b:00.1', '0000:6b:00.2'],
      'qat.intel.com/dc': ['0000:70:00.1', '0000:70:00.2'],
    });
    expect(d.pfs.map((p) => [p.address, p.driver, p.services, p.state])).toEqual([
      ['0000:6b:00.0', '4xxx', 'sym;asym', 'up'],
      ['0000:70:00.0', '4xxx', 'dc', 'up'],
      ['0000:75:00.0', '420xx', 'asym;dc', 'up'],
      ['0000:7a:00.0', '4xxx', 'sym', 'down'],
      ['0000:e8:00.0', '4xxx', null, 'up'],
    ]);
    expect(d.ignored).toEqual([
      { address: '0000:7a:00.1', reason: 'PF 0000:7a:00.0 state down' },
      { address: '0000:e8:00.1', reason: "PF 0000:e8:00.0 has no qat/cfg_services; cannot tell the VF's services" },
    ]);
    expect(d.resources['qat.intel.com/asym-dc']?.[0]).toMatchObject({ generation: '420xx', deviceId: '4947', numaNode: 1 });
  });
});

describe('discoverQat: IOMMU groups', () => {
  it('a VF sharing its group with another vfio-pci device is advertised with both members', async () => {
    const host = await buildFakeQatHost(root(), {
      pfs: [{ generation: 'c62x', address: '0000:3d:00.0', vfs: [{ iommuGroup: 7 }, {}] }],
      otherDevices: [{ address: '0000:3d:00.3', vendor: '8086', device: '37d2', driver: 'vfio-pci', iommuGroup: 7 }],
    });
    const d = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
    expect(d.ignored).toEqual([]);
    expect(d.resources['qat.intel.com/generic']?.[0]).toMatchObject({
      address: '0000:3d:01.0',
      iommuGroup: '7',
      iommuGroupMembers: ['0000:3d:00.3', '0000:3d:01.0'],
      health: 'Healthy',
    });
  });

  it('a VF sharing its group with a device on another driver is ignored, naming that device', async () => {
    const host = await buildFakeQatHost(root(), {
      pfs: [{ generation: 'c62x', address: '0000:3d:00.0', vfs: [{ iommuGroup: 7 }, {}] }],
      otherDevices: [{ address: '0000:3d:00.3', vendor: '8086', device: '37d2', driver: 'i40e', iommuGroup: 7 }],
    });
    const d = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
    expect(d.ignored).toEqual([
      { address: '0000:3d:01.0', reason: 'iommu group 7 also holds 0000:3d:00.3 (driver i40e), not on vfio-pci; a group goes to one VM whole' },
    ]);
    expect(d.vfs[0]?.iommuGroupMembers).toEqual(['0000:3d:00.3', '0000:3d:01.0']);
    expect(d.resources['qat.intel.com/generic']?.map((v) => v.address)).toEqual(['0000:3d:01.1']);
  });

  it('noiommu groups and VFs without a group are ignored', async () => {
    const host = await buildFakeQatHost(root(), {
      pfs: [{ generation: 'c62x', address: '0000:3d:00.0', vfs: [{ noiommu: true }, { iommuGroup: null }, {}] }],
    });
    const d = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
    expect(d.ignored).toEqual([
      { address: '0000:3d:01.0', reason: 'iommu group 11 is vfio-noiommu: no IOMMU isolation, not safe to pass through' },
      { address: '0000:3d:01.1', reason: 'no iommu group' },
    ]);
    expect(d.resources['qat.intel.com/generic']?.map((v) => v.address)).toEqual(['0000:3d:01.2']);
  });
});

describe('discoverQat: health', () => {
  it('heartbeat -1 makes every VF of that PF Unhealthy; a missing heartbeat file is Healthy but says so', async () => {
    const host = await buildFakeQatHost(root(), {
      pfs: [
        { generation: 'c62x', address: '0000:3d:00.0', vfs: 2, heartbeat: -1 },
        { generation: 'c62x', address: '0000:3f:00.0', vfs: 1, heartbeat: null },
      ],
    });
    const d = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
    const hbFile = join(host.sysfsRoot, 'kernel/debug/qat_c6xx_0000:3d:00.0/heartbeat/status');
    expect(d.vfs.map((v) => [v.address, v.health, v.heartbeat, v.healthReason])).toEqual([
      ['0000:3d:01.0', 'Unhealthy', 'failed', `PF 0000:3d:00.0 heartbeat failed (${hbFile} = -1)`],
      ['0000:3d:01.1', 'Unhealthy', 'failed', `PF 0000:3d:00.0 heartbeat failed (${hbFile} = -1)`],
      ['0000:3f:01.0', 'Healthy', 'unavailable', null],
    ]);
    // Unhealthy VFs are still advertised (the kubelet must learn they are unhealthy).
    expect(d.resources['qat.intel.com/generic']).toHaveLength(3);
  });

  it('a VF whose /dev/vfio/<group> is missing is Unhealthy; debugfsRoot can be elsewhere', async () => {
    const host = await buildFakeQatHost(root(), { pfs: [{ generation: 'c62x', address: '0000:3d:00.0', vfs: 2 }] });
    await host.removeVfioNode('12');
    const d = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot, debugfsRoot: join(root(), 'nodebugfs') });
    expect(d.vfs.map((v) => [v.health, v.heartbeat, v.healthReason])).toEqual([
      ['Healthy', 'unavailable', null],
      ['Unhealthy', 'unavailable', `${join(host.devRoot, 'vfio', '12')} missing`],
    ]);
  });
});

describe('discoverQat: edges', () => {
  it('an empty or missing tree yields nothing', async () => {
    expect(await discoverQat({ sysfsRoot: join(root(), 'nope'), devRoot: join(root(), 'nodev') })).toEqual({ pfs: [], vfs: [], resources: {}, ignored: [] });
  });

  it('falls back to uevent PCI_ID when vendor/device are absent, and skips non-QAT devices', async () => {
    const host = await buildFakeQatHost(root(), {
      pfs: [{ generation: 'c62x', address: '0000:3d:00.0', vfs: 1 }],
      otherDevices: [{ address: '0000:00:1f.6', vendor: '8086', device: '15bb', driver: 'e1000e', iommuGroup: 3 }],
    });
    await rm(join(host.sysfsRoot, 'bus/pci/devices/0000:3d:01.0/vendor'));
    await rm(join(host.sysfsRoot, 'bus/pci/devices/0000:3d:01.0/device'));
    await symlink('nowhere', join(host.sysfsRoot, 'bus/pci/devices/0000:00:00.0'));
    const d = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
    expect(d.vfs.map((v) => [v.address, v.deviceId])).toEqual([['0000:3d:01.0', '37c9']]);
    expect(d.pfs.map((p) => p.address)).toEqual(['0000:3d:00.0']);
  });
});
