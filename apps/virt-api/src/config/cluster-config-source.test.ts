import type { KubeVirt } from '@qvirt/api';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ClusterConfigSource, type ConfigMapLike, type ObjectInformer } from './cluster-config-source.js';

/** A hand-driven informer: the real one is exercised against the apiserver in the integration suite. */
function fakeInformer<T>(initial: T[]): ObjectInformer<T> & { set(items: T[]): void; synced: boolean } {
  let items = initial;
  const handlers: ((o: T) => void)[] = [];
  return {
    synced: false,
    async start() {
      this.synced = true;
    },
    stop() {},
    hasSynced() {
      return this.synced;
    },
    list: () => items,
    on: (_e, h) => void handlers.push(h),
    set(next) {
      items = next;
      for (const h of handlers) h(next[0]!);
    },
  };
}

const cm = (gates: string, extra: Record<string, string> = {}): ConfigMapLike => ({ metadata: { name: 'kubevirt-config' }, data: { 'feature-gates': gates, ...extra } });
const kv = (gates: string[]): KubeVirt => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'KubeVirt',
  metadata: { name: 'kubevirt' },
  spec: { configuration: { developerConfiguration: { featureGates: gates } } },
});

describe('ClusterConfigSource', () => {
  it('merges the ConfigMap and the CR, follows changes, and keeps the last good config on a bad edit', async () => {
    const configMaps = fakeInformer<ConfigMapLike>([cm('')]);
    const kubevirts = fakeInformer<KubeVirt>([]);
    const source = new ClusterConfigSource({ configMaps, kubevirts, logger: pino({ level: 'silent' }) });
    expect(source.hasSynced()).toBe(false);
    await source.start();
    expect(source.hasSynced()).toBe(true);
    expect([...source.current().featureGates]).toEqual([]);
    configMaps.set([cm('QAT')]);
    expect([...source.current().featureGates]).toEqual(['QAT']);
    kubevirts.set([kv(['HostDevices'])]);
    expect([...source.current().featureGates].sort()).toEqual(['HostDevices', 'QAT']);
    configMaps.set([cm('', { permittedHostDevices: '{ not: [yaml' })]);
    expect([...source.current().featureGates].sort()).toEqual(['HostDevices', 'QAT']);
    configMaps.set([]);
    expect([...source.current().featureGates]).toEqual(['HostDevices']);
  });
});
