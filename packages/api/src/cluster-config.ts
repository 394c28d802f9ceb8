import { parse as parseYaml } from 'yaml';
import { DEFAULT_MACHINE_TYPE, FeatureGate, KubeVirtConfig, type FeatureGateName } from './constants.js';
import type { KubeVirt, PciHostDevice, PermittedHostDevices } from './types/kubevirt.js';

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

export interface ClusterConfigSources {
  configMapData?: Record<string, string> | undefined;
  kubevirt?: KubeVirt | undefined;
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

/** Feature gates are the union of both sources; permittedHostDevices and machine type prefer the CR. */
export function clusterConfigFrom(sources: ClusterConfigSources): ClusterConfig {
  const data = sources.configMapData ?? {};
  const crConfig = sources.kubevirt?.spec?.configuration;
  const gates = new Set<string>([
    ...parseFeatureGates(data[KubeVirtConfig.featureGatesKey]),
    ...(crConfig?.developerConfiguration?.featureGates ?? []),
  ]);
  const fromCr = crConfig?.permittedHostDevices;
  const permitted =
    fromCr !== undefined && fromCr !== null
      ? checkPermittedHostDevices(fromCr as Record<string, unknown>, 'KubeVirt spec.configuration.permittedHostDevices')
      : permittedFromConfigMap(data[KubeVirtConfig.permittedHostDevicesKey]);
  const machineType = crConfig?.machineType ?? data[KubeVirtConfig.machineTypeKey] ?? DEFAULT_MACHINE_TYPE;
  return permitted === undefined
    ? { featureGates: gates, machineType }
    : { featureGates: gates, permittedHostDevices: permitted, machineType };
}

/** The ConfigMap carries permittedHostDevices as a YAML or JSON document in one key. */
function permittedFromConfigMap(raw: string | undefined): PermittedHostDevices | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let doc: unknown;
  try {
    doc = parseYaml(raw);
  } catch (err) {
    throw new ClusterConfigError(`kubevirt-config key ${KubeVirtConfig.permittedHostDevicesKey} is not valid YAML: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ClusterConfigError(`kubevirt-config key ${KubeVirtConfig.permittedHostDevicesKey} must be an object with pciHostDevices`);
  }
  return checkPermittedHostDevices(doc as Record<string, unknown>, `kubevirt-config key ${KubeVirtConfig.permittedHostDevicesKey}`);
}

/** Checks the shape, so a malformed config is a ClusterConfigError naming the entry, not a crash later. */
function checkPermittedHostDevices(doc: Record<string, unknown>, where: string): PermittedHostDevices {
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ClusterConfigError(`${where} must be an object with pciHostDevices`);
  for (const key of ['pciHostDevices', 'mediatedDevices'] as const) {
    const list = doc[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new ClusterConfigError(`${where}: ${key} must be a list`);
    const field = key === 'pciHostDevices' ? 'pciVendorSelector' : 'mdevNameSelector';
    list.forEach((entry: unknown, i) => {
      const e = entry as Record<string, unknown> | null;
      if (typeof e !== 'object' || e === null || Array.isArray(e)) throw new ClusterConfigError(`${where}: ${key}[${i}] must be an object`);
      for (const f of [field, 'resourceName']) {
        if (typeof e[f] !== 'string' || e[f] === '') throw new ClusterConfigError(`${where}: ${key}[${i}].${f} must be a non-empty string`);
      }
    });
  }
  return doc as PermittedHostDevices;
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
    return Array.isArray(entries) && entries.some((e: unknown) => typeof e === 'object' && e !== null && (e as Record<string, unknown>)['resourceName'] === resourceName);
  });
}

export { FeatureGate };
