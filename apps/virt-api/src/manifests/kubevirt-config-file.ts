import { ClusterConfigError, parseFeatureGates, type ClusterConfig, type KubeVirt } from '@qvirt/api';
import { clusterConfigFrom } from '@qvirt/api/cluster-config';
import { CliInputError } from './input-error.js';
import { describeJsonType, parseYamlDocuments } from './yaml-documents.js';

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The cluster configuration from a `--kubevirt-config` file (the ConfigMap kubevirt-config,
 * a KubeVirt CR, or both as two documents) plus `--feature-gates`; gates are the union,
 * as in a cluster. Throws CliInputError saying what is wrong with the file.
 */
export function clusterConfigFromFile(text: string | undefined, source: string, extraGates: readonly string[]): ClusterConfig {
  let configMapData: Record<string, string> | undefined;
  let kubevirt: KubeVirt | undefined;
  for (const [i, doc] of (text === undefined ? [] : parseYamlDocuments(text, source)).entries()) {
    const where = `${source}: document ${i + 1}`;
    if (!isDoc(doc)) throw new CliInputError(`${where} is ${describeJsonType(doc)}, not a ConfigMap or KubeVirt manifest`);
    if (doc['kind'] === 'ConfigMap') configMapData = configMapDataOf(doc, where);
    else if (doc['kind'] === 'KubeVirt') kubevirt = kubevirtOf(doc, where);
    else throw new CliInputError(`${where}: kind ${JSON.stringify(doc['kind'] ?? null)} is not ConfigMap or KubeVirt`);
  }
  let config: ClusterConfig;
  try {
    config = clusterConfigFrom({ configMapData, kubevirt });
  } catch (err) {
    if (err instanceof ClusterConfigError) throw new CliInputError(`${source}: ${err.message}`);
    throw err;
  }
  return { ...config, featureGates: new Set([...config.featureGates, ...extraGates]) };
}

/** `--feature-gates QAT,HostDevices` (the flag may repeat). */
export function featureGatesFromFlags(values: readonly string[]): string[] {
  return values.flatMap((v) => parseFeatureGates(v));
}

function configMapDataOf(doc: Doc, where: string): Record<string, string> {
  const data = doc['data'] ?? {};
  if (!isDoc(data)) throw new CliInputError(`${where}: data must be an object of strings`);
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') throw new CliInputError(`${where}: data.${k} must be a string, got ${describeJsonType(v)}`);
  }
  return data as Record<string, string>;
}

function kubevirtOf(doc: Doc, where: string): KubeVirt {
  const spec = doc['spec'] ?? {};
  if (!isDoc(spec)) throw new CliInputError(`${where}: spec must be an object`);
  const configuration = spec['configuration'] ?? {};
  if (!isDoc(configuration)) throw new CliInputError(`${where}: spec.configuration must be an object`);
  const dev = configuration['developerConfiguration'] ?? {};
  if (!isDoc(dev)) throw new CliInputError(`${where}: spec.configuration.developerConfiguration must be an object`);
  const gates = dev['featureGates'] ?? [];
  if (!Array.isArray(gates) || !gates.every((g) => typeof g === 'string')) {
    throw new CliInputError(`${where}: spec.configuration.developerConfiguration.featureGates must be a list of strings`);
  }
  const machineType = configuration['machineType'];
  if (machineType !== undefined && typeof machineType !== 'string') throw new CliInputError(`${where}: spec.configuration.machineType must be a string`);
  return doc as unknown as KubeVirt;
}
