import type { ClusterConfig, StatusCause } from '@qvirt/api';
import { capCauses, required } from './causes.js';
import { envelopeCauses, notAnObject } from './envelope.js';
import { isRecord, jsonEqual, own } from './untrusted.js';
import { hookSidecarCauses } from './rules/hook-sidecars.rule.js';
import { validateVmiSpec } from './vmi-spec.validator.js';

/** KubeVirt's answer to any change of a VMI's spec. */
export const VMI_UPDATE_RESTRICTED_MESSAGE = 'update of VMI object is restricted';

/** A new VMI (after defaulting): its envelope and its spec at `spec`. */
export function validateVmiCreate(vmi: unknown, config: ClusterConfig): StatusCause[] {
  if (!isRecord(vmi)) return [notAnObject('VirtualMachineInstance', vmi)];
  const causes = envelopeCauses(vmi);
  causes.push(...hookSidecarCauses('metadata', own(vmi, 'metadata')));
  const spec = own(vmi, 'spec');
  if (spec === undefined) causes.push(required('spec'));
  else causes.push(...validateVmiSpec('spec', spec, config));
  return capCauses(causes, 'spec');
}

/**
 * An update of a VMI: the spec is immutable once created (KubeVirt), so any change to it is one
 * FieldValueNotSupported cause on `spec`; metadata and status may change freely.
 */
export function validateVmiUpdate(oldVmi: unknown, newVmi: unknown, _config: ClusterConfig): StatusCause[] {
  if (!isRecord(newVmi)) return [notAnObject('VirtualMachineInstance', newVmi)];
  if (!isRecord(oldVmi)) return [notAnObject('VirtualMachineInstance (old object)', oldVmi)];
  if (jsonEqual(own(oldVmi, 'spec'), own(newVmi, 'spec'))) return [];
  return [{ type: 'FieldValueNotSupported', field: 'spec', message: VMI_UPDATE_RESTRICTED_MESSAGE }];
}
