import { ClusterConfigError, type ClusterConfig } from '@qvirt/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@qvirt/log';
import { eventually } from '@qvirt/testing';
import type { KubeClient, KubeConfigLike } from '../src/index.js';
import { ClusterConfigSource } from '../src/cluster-config.js';
import { startTestApiServer, type TestApiServer } from './support/api-server.js';

const NS = 'kubevirt';
let api: TestApiServer;
let admin: KubeClient;
let kc: KubeConfigLike;

beforeAll(async () => {
  api = await startTestApiServer([NS]);
  ({ admin, kubeConfig: kc } = api);
});
afterAll(async () => {
  await api?.stop();
});

const gates = (c: ClusterConfig) => [...c.featureGates].sort().join(',');
const cmPath = `/api/v1/namespaces/${NS}/configmaps`;
const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('ClusterConfigSource on a real API server', () => {
  it('merges kubevirt-config and the KubeVirt CR, follows edits, and keeps the last good config on a bad one', async () => {
    const source = new ClusterConfigSource({ kubeConfig: kc, client: admin, logger: silentLogger });
    const changes: string[] = [];
    source.onChange((c) => changes.push(gates(c)));
    expect(source.hasSynced()).toBe(false);
    await source.start();
    expect(source.hasSynced()).toBe(true);
    expect(gates(source.current())).toBe('');

    await admin.create(cmPath, configMap('kubevirt-config', { 'feature-gates': 'QAT' }));
    await admin.create(cmPath, configMap('not-the-config', { 'feature-gates': 'Ignored' }));
    await eventually('QAT from the ConfigMap', () => gates(source.current()) === 'QAT', { timeoutMs: 20_000, intervalMs: 50 });

    await admin.create(`/apis/kubevirt.io/v1/namespaces/${NS}/kubevirts`, {
      apiVersion: 'kubevirt.io/v1',
      kind: 'KubeVirt',
      metadata: { name: 'kubevirt' },
      spec: { configuration: { developerConfiguration: { featureGates: ['HostDevices'] }, machineType: 'pc-q35-7.2' } },
    });
    await eventually('the CR merged in', () => gates(source.current()) === 'HostDevices,QAT', { timeoutMs: 20_000, intervalMs: 50 });
    expect(source.current().machineType).toBe('pc-q35-7.2');

    await admin.patch(`${cmPath}/kubevirt-config`, { data: { permittedHostDevices: 'pciHostDevices: [ {' } });
    await eventually('the bad edit seen', () => source.lastError() !== undefined, { timeoutMs: 20_000, intervalMs: 50 });
    expect(source.lastError()).toBeInstanceOf(ClusterConfigError);
    expect(gates(source.current())).toBe('HostDevices,QAT');

    await admin.patch(`${cmPath}/kubevirt-config`, {
      data: { permittedHostDevices: 'pciHostDevices: [{pciVendorSelector: "8086:37c9", resourceName: qat.intel.com/generic}]' },
    });
    await eventually('the fixed edit in force', () => source.current().permittedHostDevices !== undefined, { timeoutMs: 20_000, intervalMs: 50 });
    expect(source.lastError()).toBeUndefined();
    expect(source.current().permittedHostDevices?.pciHostDevices).toEqual([{ pciVendorSelector: '8086:37c9', resourceName: 'qat.intel.com/generic' }]);

    await admin.delete(`${cmPath}/kubevirt-config`);
    await eventually('the ConfigMap gone', () => gates(source.current()) === 'HostDevices', { timeoutMs: 20_000, intervalMs: 50 });
    expect(changes).toEqual(['QAT', 'HostDevices,QAT', 'HostDevices,QAT', 'HostDevices']);
    await source.stop();
  });
});
