import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyClusterConfig, type ClusterConfig } from '@qvirt/api';
import { buildFakeQatHost, discoverQat, type QatDiscovery } from '@qvirt/qat';
import { planDevicePlugins, selectVfs } from './device-plugin.plan.js';
import { desiredNodeLabels, nodeLabelPatch } from './node-labels.js';

let root: string;
let discovery: QatDiscovery;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vh-plan-'));
  const host = await buildFakeQatHost(root, { pfs: [{ generation: 'c62x', vfs: 3 }, { generation: '4xxx', vfs: 2, services: 'dc' }] });
  discovery = await discoverQat({ sysfsRoot: host.sysfsRoot, devRoot: host.devRoot });
});
afterAll(() => rm(root, { recursive: true, force: true }));

const withPermitted = (pciHostDevices: { pciVendorSelector: string; resourceName: string; externalResourceProvider?: boolean }[]): ClusterConfig => ({
  ...emptyClusterConfig(),
  permittedHostDevices: { pciHostDevices },
});

describe('planDevicePlugins', () => {
  it('serves every discovered resource, and KVM only when usable', () => {
    expect(planDevicePlugins(discovery, emptyClusterConfig(), false).plugins.map((p) => p.resourceName)).toEqual(['qat.intel.com/dc', 'qat.intel.com/generic']);
    expect(planDevicePlugins(discovery, emptyClusterConfig(), true).plugins.map((p) => p.resourceName)).toEqual(['qat.intel.com/dc', 'qat.intel.com/generic', 'devices.kubevirt.io/kvm']);
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
      false,
    );
    expect(plan.plugins).toEqual([
      { kind: 'qat', resourceName: 'intel.com/qat', match: { resources: [], pciIds: ['8086:37c9'] } },
      { kind: 'qat', resourceName: 'qat.intel.com/generic', match: { resources: ['qat.intel.com/generic'], pciIds: [] } },
    ]);
    expect(plan.notes.join('\n')).toMatch(/example\.com\/nic \(8086:1234\) matches no advertised QAT VF/);
    expect(plan.notes.join('\n')).toMatch(/qat\.intel\.com\/dc is provided by an external device plugin/);
    expect(plan.notes.join('\n')).toMatch(/"junk" of x\.io\/y is not vendor:device hex/);
    expect(selectVfs(discovery, plan.plugins[0]!.kind === 'qat' ? plan.plugins[0]!.match : { resources: [], pciIds: [] }).map((v) => v.generation)).toEqual(['c62x', 'c62x', 'c62x']);
  });
});

describe('node labels', () => {
  it('generation(s), healthy VF count, schedulable; a diff-only patch', () => {
    const want = desiredNodeLabels(discovery);
    expect(want).toEqual({ 'qvirt.io/qat-generation': '4xxx.c62x', 'qvirt.io/qat-vfs': '5', 'kubevirt.io/schedulable': 'true' });
    expect(nodeLabelPatch({ 'kubevirt.io/schedulable': 'true', other: 'x' }, want)).toEqual({ 'qvirt.io/qat-generation': '4xxx.c62x', 'qvirt.io/qat-vfs': '5' });
    expect(nodeLabelPatch({ 'qvirt.io/qat-generation': '4xxx.c62x', 'qvirt.io/qat-vfs': '5', 'kubevirt.io/schedulable': 'true' }, want)).toBeUndefined();
    const none = desiredNodeLabels({ pfs: [], vfs: [], resources: {}, ignored: [] });
    expect(nodeLabelPatch({ 'qvirt.io/qat-generation': 'c62x', 'qvirt.io/qat-vfs': '3' }, none)).toEqual({ 'qvirt.io/qat-generation': null, 'qvirt.io/qat-vfs': null, 'kubevirt.io/schedulable': 'true' });
  });
});
