import { describe, expect, it } from 'vitest';
import { type ClusterConfig, ClusterConfigError, isResourcePermitted, parseFeatureGates } from './cluster-config.js';
import { clusterConfigFrom } from './cluster-config-sources.js';
import type { KubeVirt } from './types/kubevirt.js';

const cr = (configuration: NonNullable<KubeVirt['spec']['configuration']>): KubeVirt => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'KubeVirt',
  metadata: { name: 'kubevirt', namespace: 'kubevirt' },
  spec: { configuration },
});

describe('clusterConfigFrom', () => {
  it('takes the union of ConfigMap and KubeVirt CR feature gates', () => {
    const config = clusterConfigFrom({
      configMapData: { 'feature-gates': 'QAT, Foo,,' },
      kubevirt: cr({ developerConfiguration: { featureGates: ['HostDevices'] } }),
    });
    expect([...config.featureGates].sort()).toEqual(['Foo', 'HostDevices', 'QAT']);
    expect(config.machineType).toBe('q35');
    expect(config.permittedHostDevices).toBeUndefined();
  });

  it('reads permittedHostDevices from the ConfigMap as YAML, the CR winning when both set it', () => {
    const fromCm = clusterConfigFrom({
      configMapData: { permittedHostDevices: 'pciHostDevices:\n- pciVendorSelector: "8086:37c9"\n  resourceName: qat.intel.com/generic\n' },
    });
    expect(fromCm.permittedHostDevices?.pciHostDevices?.[0]?.resourceName).toBe('qat.intel.com/generic');
    const both = clusterConfigFrom({
      configMapData: { permittedHostDevices: 'pciHostDevices: []' },
      kubevirt: cr({ permittedHostDevices: { pciHostDevices: [{ pciVendorSelector: '8086:4941', resourceName: 'qat.intel.com/cy' }] } }),
    });
    expect(both.permittedHostDevices?.pciHostDevices?.map((d) => d.resourceName)).toEqual(['qat.intel.com/cy']);
  });

  it('names the key when permittedHostDevices is not an object', () => {
    expect(() => clusterConfigFrom({ configMapData: { permittedHostDevices: '- a' } })).toThrow(ClusterConfigError);
    expect(() => clusterConfigFrom({ configMapData: { permittedHostDevices: '{a: [' } })).toThrow(/permittedHostDevices is not valid YAML/);
  });

  it('names the malformed entry of permittedHostDevices instead of failing later', () => {
    expect(() => clusterConfigFrom({ configMapData: { permittedHostDevices: 'pciHostDevices: 5' } })).toThrow(
      'kubevirt-config key permittedHostDevices: pciHostDevices must be a list',
    );
    expect(() => clusterConfigFrom({ kubevirt: cr({ permittedHostDevices: { pciHostDevices: [{ pciVendorSelector: '8086:37c9' } as never] } }) })).toThrow(
      'KubeVirt spec.configuration.permittedHostDevices: pciHostDevices[0].resourceName must be a non-empty string',
    );
  });

  it('permits every resource when no list is set, only listed ones otherwise', () => {
    expect(isResourcePermitted(clusterConfigFrom({}), 'vendor.com/anything')).toBe(true);
    const config = clusterConfigFrom({
      kubevirt: cr({ permittedHostDevices: { pciHostDevices: [{ pciVendorSelector: '8086:37c9', resourceName: 'qat.intel.com/generic' }] } }),
    });
    expect(isResourcePermitted(config, 'qat.intel.com/generic')).toBe(true);
    expect(isResourcePermitted(config, 'qat.intel.com/cy')).toBe(false);
  });

  it('denies instead of throwing on a malformed permitted list from a ConfigMap', () => {
    const broken = { ...clusterConfigFrom({}), permittedHostDevices: { pciHostDevices: 5, mediatedDevices: [null, 'x'] } } as unknown as ClusterConfig;
    expect(isResourcePermitted(broken, 'qat.intel.com/generic')).toBe(false);
  });

  it('parses feature gate lists with blanks', () => {
    expect(parseFeatureGates(undefined)).toEqual([]);
    expect(parseFeatureGates(' QAT ,HostDevices')).toEqual(['QAT', 'HostDevices']);
  });
});
