import type { ClusterConfig, KubeVirt } from '@qvirt/api';
import { ClusterConfigError } from '@qvirt/api';
import { describe, expect, it } from 'vitest';
import { ClusterConfigSource, type ConfigInformer, type ConfigMapLike } from './cluster-config-source.js';
import type { Logger } from '@qvirt/log';

/** A hand-driven informer: the real one is exercised against the apiserver in the integration suite. */
function fakeInformer<T>(initial: T[]): ConfigInformer<T> & { set(items: T[]): void; synced: boolean } {
  let items = initial;
  const handlers: ((o: T) => void)[] = []; // 'update' only: one event per change, as the real informer
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
    on: (e, h) => void (e === 'update' && handlers.push(h)),
    set(next) {
      items = next;
      for (const h of handlers) h(next[0]!);
    },
  };
}

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (obj, msg) => void errors.push(`${msg}: ${(obj as { err?: string }).err}`) };
}

const cm = (gates: string, extra: Record<string, string> = {}): ConfigMapLike => ({
  metadata: { name: 'kubevirt-config' },
  data: { 'feature-gates': gates, ...extra },
});
const kv = (gates: string[]): KubeVirt => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'KubeVirt',
  metadata: { name: 'kubevirt' },
  spec: { configuration: { developerConfiguration: { featureGates: gates } } },
});
const gates = (c: ClusterConfig) => [...c.featureGates].sort();

describe('ClusterConfigSource', () => {
  it('merges the ConfigMap and the CR, follows changes, and keeps the last good config on a bad edit', async () => {
    const configMaps = fakeInformer<ConfigMapLike>([cm('')]);
    const kubevirts = fakeInformer<KubeVirt>([]);
    const logger = recordingLogger();
    const source = new ClusterConfigSource({ configMaps, kubevirts, logger });
    expect(source.hasSynced()).toBe(false);
    await source.start();
    expect(source.hasSynced()).toBe(true);
    expect(gates(source.current())).toEqual([]);
    configMaps.set([cm('QAT')]);
    expect(gates(source.current())).toEqual(['QAT']);
    kubevirts.set([kv(['HostDevices'])]);
    expect(gates(source.current())).toEqual(['HostDevices', 'QAT']);

    configMaps.set([cm('', { permittedHostDevices: '{ not: [yaml' })]);
    expect(gates(source.current())).toEqual(['HostDevices', 'QAT']);
    expect(source.lastError()).toBeInstanceOf(ClusterConfigError);
    expect(logger.errors).toEqual([
      expect.stringMatching(/^cluster configuration is invalid; keeping the last good one: kubevirt-config key permittedHostDevices is not valid YAML/),
    ]);

    configMaps.set([]);
    expect(gates(source.current())).toEqual(['HostDevices']);
    expect(source.lastError()).toBeUndefined();
  });

  it('ignores other ConfigMaps and picks the KubeVirt CR by name when there are several', async () => {
    const configMaps = fakeInformer<ConfigMapLike>([{ metadata: { name: 'other' }, data: { 'feature-gates': 'QAT' } }]);
    const kubevirts = fakeInformer<KubeVirt>([
      { ...kv(['HostDevices']), metadata: { name: 'b' } },
      { ...kv(['QAT']), metadata: { name: 'a' } },
    ]);
    const source = new ClusterConfigSource({ configMaps, kubevirts, logger: recordingLogger() });
    await source.start();
    expect(gates(source.current())).toEqual(['QAT']);
  });

  it('tells listeners only when the merged configuration changes', async () => {
    const configMaps = fakeInformer<ConfigMapLike>([cm('QAT')]);
    const kubevirts = fakeInformer<KubeVirt>([]);
    const source = new ClusterConfigSource({ configMaps, kubevirts, logger: recordingLogger() });
    const seen: string[][] = [];
    source.onChange((c) => seen.push(gates(c)));
    await source.start();
    expect(seen).toEqual([['QAT']]);
    configMaps.set([cm(' QAT ')]); // same gates, other text
    kubevirts.set([kv(['QAT'])]); // same union
    expect(seen).toEqual([['QAT']]);
    configMaps.set([cm('QAT', { permittedHostDevices: '- a' })]); // rejected: no change
    expect(seen).toEqual([['QAT']]);
    configMaps.set([cm('QAT')]);
    kubevirts.set([kv(['HostDevices'])]);
    expect(seen).toEqual([['QAT'], ['HostDevices', 'QAT']]);
  });
});
