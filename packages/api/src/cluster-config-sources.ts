// @qvirt/api/cluster-config: the cluster configuration read from its two sources, the ConfigMap
// `kubevirt/kubevirt-config` (whose permittedHostDevices key is a YAML document) and the KubeVirt
// CR. Kept off the main entry, so what only needs the ClusterConfig type does not load a YAML parser.
import { parse as parseYaml } from 'yaml';
import { ClusterConfigError, parseFeatureGates, type ClusterConfig } from './cluster-config.js';
import { DEFAULT_MACHINE_TYPE, KubeVirtConfig } from './constants.js';
import type { KubeVirt, PermittedHostDevices } from './types/kubevirt.js';

export interface ClusterConfigSources {
  configMapData?: Record<string, string> | undefined;
  kubevirt?: KubeVirt | undefined;
}

/** Feature gates are the union of both sources; permittedHostDevices and machine type prefer the CR. */
export function clusterConfigFrom(sources: ClusterConfigSources): ClusterConfig {
  const data = sources.configMapData ?? {};
  const crConfig = sources.kubevirt?.spec?.configuration;
  const gates = new Set<string>([...parseFeatureGates(data[KubeVirtConfig.featureGatesKey]), ...(crConfig?.developerConfiguration?.featureGates ?? [])]);
  const fromCr = crConfig?.permittedHostDevices;
  const permitted =
    fromCr !== undefined && fromCr !== null
      ? checkPermittedHostDevices(fromCr as Record<string, unknown>, 'KubeVirt spec.configuration.permittedHostDevices')
      : permittedFromConfigMap(data[KubeVirtConfig.permittedHostDevicesKey]);
  const machineType = crConfig?.machineType ?? data[KubeVirtConfig.machineTypeKey] ?? DEFAULT_MACHINE_TYPE;
  return permitted === undefined ? { featureGates: gates, machineType } : { featureGates: gates, permittedHostDevices: permitted, machineType };
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
