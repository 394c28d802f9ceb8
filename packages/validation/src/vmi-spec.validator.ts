import { vmiSpecSchema, type ClusterConfig, type JsonSchema, type StatusCause } from '@qvirt/api';
import { capCauses } from './causes.js';
import { validateArchitecture } from './rules/architecture.rule.js';
import { validateCpu } from './rules/cpu.rule.js';
import { validateDeviceNameCollisions } from './rules/device-name-collision.rule.js';
import { validateDisks } from './rules/disks.rule.js';
import { validateHostDevices } from './rules/host-devices.rule.js';
import { validateKernelBoot } from './rules/kernel-boot.rule.js';
import { validateMemory } from './rules/memory.rule.js';
import { validateQatDevices } from './rules/qat-devices.rule.js';
import { validateUnhonouredFields } from './rules/unhonoured-fields.rule.js';
import { KUBEVIRT_ONLY_VOLUME_SOURCES, validateVolumes } from './rules/volumes.rule.js';
import { validateCloudInit } from './rules/cloud-init.rule.js';
import { checkShape } from './shape.js';
import type { SpecRule, VmiSpecView } from './spec-view.js';

/** Every rule a VMI spec goes through, in the order their causes are listed. */
export const vmiSpecRules: readonly SpecRule[] = [
  validateQatDevices,
  validateHostDevices,
  validateDeviceNameCollisions,
  validateMemory,
  validateCpu,
  validateKernelBoot,
  validateDisks,
  validateVolumes,
  validateCloudInit,
  validateUnhonouredFields,
  validateArchitecture,
];

/**
 * What the shape check holds a spec to: the CRD's schema, except that a volume may also name
 * KubeVirt's other sources (any value; a null is Go's nil, no source). The volumes rule refuses
 * each one by name with what qvirt lacks, where the CRD's schema would make it an unknown field.
 */
const specSchema: JsonSchema = withVolumeSources(vmiSpecSchema, Object.keys(KUBEVIRT_ONLY_VOLUME_SOURCES));

function withVolumeSources(schema: JsonSchema, sources: readonly string[]): JsonSchema {
  const volumes = schema.properties?.['volumes'];
  const volume = volumes?.items;
  if (volumes === undefined || volume?.properties === undefined) throw new Error('vmiSpecSchema: spec.volumes[] is not a list of objects');
  const anyValue: JsonSchema = { nullable: true };
  const properties = { ...volume.properties, ...Object.fromEntries(sources.map((s) => [s, anyValue])) };
  return { ...schema, properties: { ...schema.properties, volumes: { ...volumes, items: { ...volume, properties } } } };
}

/**
 * The shape and rules of a VMI spec sitting at `fieldPath` (`spec` for a VMI,
 * `spec.template.spec` for a VM). `spec` is untrusted: wrong types, nulls and arrays where
 * objects belong become causes, never exceptions. The rules run on what passed the shape
 * check, so one mistake gives one cause; all problems are collected (at most MAX_CAUSES + 1).
 */
export function validateVmiSpec(fieldPath: string, spec: unknown, config: ClusterConfig): StatusCause[] {
  const shape = checkShape(fieldPath, spec, specSchema);
  const causes = [...shape.causes];
  if (shape.value !== undefined) {
    const view = shape.value as VmiSpecView;
    for (const rule of vmiSpecRules) causes.push(...rule(fieldPath, view, config));
  }
  return capCauses(causes, fieldPath);
}
