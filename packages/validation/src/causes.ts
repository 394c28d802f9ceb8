import type { StatusCause } from '@qvirt/api';
import { shown } from './field-path.js';

// Cause constructors. Generic problems read like Kubernetes' field errors
// (`<field>: Invalid value: "x": <why>`) so a denial's joined message stands on its own;
// KubeVirt's own messages are spelled out where the rules use them.

export function invalid(field: string, value: unknown, why: string): StatusCause {
  return { type: 'FieldValueInvalid', field, message: `${field}: Invalid value: ${shown(value)}: ${why}` };
}

export function required(field: string): StatusCause {
  return { type: 'FieldValueRequired', field, message: `${field}: Required value` };
}

export function notSupported(field: string, value: unknown, supported: readonly unknown[]): StatusCause {
  return {
    type: 'FieldValueNotSupported',
    field,
    message: `${field}: Unsupported value: ${shown(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  };
}

export function unknownField(field: string): StatusCause {
  return { type: 'FieldValueNotSupported', field, message: `unknown field "${field}"` };
}

export function tooMany(field: string, actual: number, max: number): StatusCause {
  return { type: 'FieldValueTooMany', field, message: `${field}: Too many: ${actual}: must have at most ${max} items` };
}

/** `field` is the later occurrence; the message names the earlier one. */
export function duplicateName(field: string, item: string, firstItem: string, name: string): StatusCause {
  return {
    type: 'FieldValueDuplicate',
    field,
    message: `${item} and ${firstItem} must not have the same name ${shown(name)}`,
  };
}

/** A denial lists at most this many causes (plus one saying more were found). */
export const MAX_CAUSES = 100;

export function capCauses(causes: StatusCause[], rootField: string): StatusCause[] {
  if (causes.length <= MAX_CAUSES) return causes;
  return [
    ...causes.slice(0, MAX_CAUSES),
    {
      type: 'FieldValueTooMany',
      field: rootField,
      message: `${rootField}: Too many: more than ${MAX_CAUSES} problems found, only the first ${MAX_CAUSES} are listed`,
    },
  ];
}
