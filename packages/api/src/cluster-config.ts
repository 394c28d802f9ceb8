import { DEFAULT_MACHINE_TYPE, FeatureGate, type FeatureGateName } from './constants.js';
import type { PciHostDevice, PermittedHostDevices } from './types/kubevirt.js';

/**
 * The cluster configuration in force, merged from the ConfigMap `kubevirt/kubevirt-config`
 * and the KubeVirt CR. Admission and the controllers take it as a plain value.
 */
export interface ClusterConfig {
  featureGates: ReadonlySet<string>;
  /** undefined: no list set, every resource permitted (KubeVirt's rule). */
  permittedHostDevices?: PermittedHostDevices;
  machineType: string;
}

export class ClusterConfigError extends Error {
  override name = 'ClusterConfigError';
}

export function parseFeatureGates(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g.length > 0);
}

export function isGateEnabled(config: ClusterConfig, gate: FeatureGateName): boolean {
  return config.featureGates.has(gate);
}

export function emptyClusterConfig(gates: readonly string[] = []): ClusterConfig {
  return { featureGates: new Set(gates), machineType: DEFAULT_MACHINE_TYPE };
}

/** The PCI host device entry for a resource, if the permitted list names it. */
export function permittedPciDevice(config: ClusterConfig, resourceName: string): PciHostDevice | undefined {
  return config.permittedHostDevices?.pciHostDevices?.find((d) => d.resourceName === resourceName);
}

/**
 * KubeVirt's rule (no permittedHostDevices list: everything permitted; a list: only the resources
 * it names), total on a malformed list: the ConfigMap's permittedHostDevices is YAML an admin
 * wrote, and a typo there must deny devices, not crash a webhook or a controller. Unusable
 * entries permit nothing.
 */
export function isResourcePermitted(config: ClusterConfig, resourceName: string): boolean {
  const permitted: unknown = config.permittedHostDevices;
  if (permitted === undefined) return true;
  if (typeof permitted !== 'object' || permitted === null) return false;
  return (['pciHostDevices', 'mediatedDevices'] as const).some((list) => {
    const entries: unknown = (permitted as Record<string, unknown>)[list];
    return (
      Array.isArray(entries) &&
      entries.some((e: unknown) => typeof e === 'object' && e !== null && (e as Record<string, unknown>)['resourceName'] === resourceName)
    );
  });
}

export { FeatureGate };
