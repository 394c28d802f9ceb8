import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { emptyClusterConfig, type ClusterConfig } from '@qvirt/api';
import { discoverPciHostDevices, discoverQat, type PciHostDevice, type QatDiscovery } from '@qvirt/qat';
import { buildFakeQatHost } from '@qvirt/qat/testing';
import { permittedPciIds, planDevicePlugins, selectPciDevices, selectVfs } from './device-plugin.plan.js';
import { desiredNodeLabels, nodeLabelPatch } from './node-labels.js';

const root = useTempDir('vh-plan-', { scope: 'all' });
let discovery: QatDiscovery;
let pci: PciHostDevice[];
beforeAll(async () => {
  const host = await buildFakeQatHost(root(), {
    pfs: [
      { generation: 'c62x', vfs: 3 },
      { generation: '4xxx', vfs: 2, services: 'dc' },
    ],
    otherDevices: [
      { address: '0000:af:00.0', vendor: '10de', device: '1eb8', driver: 'vfio-pci', iommuGroup: 90 },
      { address: '0000:5e:00.0', vendor: '8086', device: '1234', driver: 'ixgbevf', iommuGroup: 91 },
    ],
  });
  discovery = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
  pci = await discoverPciHostDevices({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot }, ['10de:1eb8', '8086:1234']);
});

const withPermitted = (pciHostDevices: { pciVendorSelector: string; resourceName: string; externalResourceProvider?: boolean }[]): ClusterConfig => ({
  ...emptyClusterConfig(),
  permittedHostDevices: { pciHostDevices },
});

describe('planDevicePlugins', () => {
  it("serves every discovered resource, and KVM always (KubeVirt's permanent plugin)", () => {
    expect(planDevicePlugins(discovery, emptyClusterConfig()).plugins.map((p) => p.resourceName)).toEqual([
      'qat.intel.com/dc',
      'qat.intel.com/generic',
      'devices.kubevirt.io/kvm',
    ]);
  });

  it('adds permitted pciVendorSelector resources, skips external providers, notes selectors that match nothing', () => {
    const plan = planDevicePlugins(
      discovery,
      withPermitted([
        { pciVendorSelector: '8086:37C9', resourceName: 'intel.com/qat' },
        { pciVendorSelector: '8086:1234', resourceName: 'example.com/nic' },
        { pciVendorSelector: '8086:4941', resourceName: 'qat.intel.com/dc', externalResourceProvider: true },
        { pciVendorSelector: 'junk', resourceName: 'x.io/y' },
      ]),
    );
    expect(plan.plugins).toEqual([
      { kind: 'qat', resourceName: 'intel.com/qat', match: { resources: [], pciIds: ['8086:37c9'] } },
      { kind: 'qat', resourceName: 'qat.intel.com/generic', match: { resources: ['qat.intel.com/generic'], pciIds: [] } },
      { kind: 'kvm', resourceName: 'devices.kubevirt.io/kvm' },
    ]);
    expect(plan.notes.join('\n')).toMatch(/example\.com\/nic \(8086:1234\) matches no device on this node that can be passed through/);
    expect(plan.notes.join('\n')).toMatch(/qat\.intel\.com\/dc is provided by an external device plugin/);
    expect(plan.notes.join('\n')).toMatch(/"junk" of x\.io\/y is not vendor:device hex/);
    expect(selectVfs(discovery, plan.plugins[0]!.kind === 'qat' ? plan.plugins[0]!.match : { resources: [], pciIds: [] }).map((v) => v.generation)).toEqual([
      'c62x',
      'c62x',
      'c62x',
    ]);
  });
});

describe('planDevicePlugins with other PCI devices (permittedHostDevices)', () => {
  it('serves a selector that matches a function on vfio-pci; notes one whose functions cannot be passed through, with why', () => {
    const config = withPermitted([
      { pciVendorSelector: '10DE:1EB8', resourceName: 'nvidia.com/TU104GL_Tesla_T4' },
      { pciVendorSelector: '8086:1234', resourceName: 'example.com/nic' },
      { pciVendorSelector: '8086:37c9', resourceName: 'example.com/mixed' },
      { pciVendorSelector: '10de:1eb8', resourceName: 'example.com/mixed' },
      { pciVendorSelector: '10de:1eb8', resourceName: 'nvidia.com/external', externalResourceProvider: true },
    ]);
    expect(permittedPciIds(config)).toEqual(['10de:1eb8', '8086:1234', '8086:37c9']);
    const plan = planDevicePlugins(discovery, config, pci);
    expect(plan.plugins).toEqual([
      { kind: 'qat', resourceName: 'example.com/mixed', match: { resources: [], pciIds: ['8086:37c9'] } },
      { kind: 'pci', resourceName: 'nvidia.com/TU104GL_Tesla_T4', pciIds: ['10de:1eb8'] },
      { kind: 'qat', resourceName: 'qat.intel.com/dc', match: { resources: ['qat.intel.com/dc'], pciIds: [] } },
      { kind: 'qat', resourceName: 'qat.intel.com/generic', match: { resources: ['qat.intel.com/generic'], pciIds: [] } },
      { kind: 'kvm', resourceName: 'devices.kubevirt.io/kvm' },
    ]);
    const notes = plan.notes.join('\n');
    expect(notes).toContain(
      'example.com/nic (8086:1234) matches no device on this node that can be passed through (0000:5e:00.0: driver ixgbevf, not vfio-pci)',
    );
    expect(notes).toContain('example.com/mixed names QAT VFs and other devices; one resource holds one kind');
    expect(selectPciDevices(pci, ['10de:1eb8']).map((d) => d.address)).toEqual(['0000:af:00.0']);
    expect(selectPciDevices(pci, ['8086:1234'])).toEqual([]);
  });
});

describe('node labels', () => {
  it('generation(s), healthy VF count, schedulable; a diff-only patch', () => {
    const want = desiredNodeLabels(discovery);
    expect(want).toEqual({ 'qvirt.io/qat-generation': '4xxx.c62x', 'qvirt.io/qat-vfs': '5', 'kubevirt.io/schedulable': 'true' });
    expect(nodeLabelPatch({ 'kubevirt.io/schedulable': 'true', other: 'x' }, want)).toEqual({
      'qvirt.io/qat-generation': '4xxx.c62x',
      'qvirt.io/qat-vfs': '5',
    });
    expect(nodeLabelPatch({ 'qvirt.io/qat-generation': '4xxx.c62x', 'qvirt.io/qat-vfs': '5', 'kubevirt.io/schedulable': 'true' }, want)).toBeUndefined();
    const none = desiredNodeLabels({ pfs: [], vfs: [], resources: {}, ignored: [] });
    expect(nodeLabelPatch({ 'qvirt.io/qat-generation': 'c62x', 'qvirt.io/qat-vfs': '3' }, none)).toEqual({
      'qvirt.io/qat-generation': null,
      'qvirt.io/qat-vfs': null,
      'kubevirt.io/schedulable': 'true',
    });
  });
});
