import { tryParseQuantity, type Quantity, type StatusCause } from '@qvirt/api';
import { child } from '../field-path.js';
import type { SpecRule } from '../spec-view.js';

/**
 * Memory: some amount requested (memory.guest or resources.requests.memory), every amount
 * positive, guest and requests within limits.memory. Messages follow KubeVirt's. Quantities
 * that do not parse were reported by the shape check and are skipped here.
 */
export const validateMemory: SpecRule = (fieldPath, spec) => {
  const domain = spec.domain;
  if (domain === undefined) return [];
  const guestField = child(fieldPath, 'domain.memory.guest');
  const requestsField = child(fieldPath, 'domain.resources.requests.memory');
  const limitsField = child(fieldPath, 'domain.resources.limits.memory');
  const guest = domain.memory?.guest;
  const requests = domain.resources?.requests?.['memory'];
  const limits = domain.resources?.limits?.['memory'];
  const causes: StatusCause[] = [];

  if (guest === undefined && requests === undefined) {
    causes.push({
      type: 'FieldValueRequired',
      field: requestsField,
      message: `no memory requested, at least one of '${guestField}' or '${requestsField}' must be set`,
    });
  }
  const g = positive(guestField, guest, causes);
  const r = positive(requestsField, requests, causes);
  const l = positive(limitsField, limits, causes);
  if (l !== undefined && g !== undefined && g > l) {
    causes.push({
      type: 'FieldValueInvalid',
      field: guestField,
      message: `${guestField} '${String(guest)}' must be equal to or less than the memory limit ${limitsField} '${String(limits)}'`,
    });
  }
  if (l !== undefined && r !== undefined && r > l) {
    causes.push({
      type: 'FieldValueInvalid',
      field: requestsField,
      message: `${requestsField} '${String(requests)}' must be equal to or less than the memory limit ${limitsField} '${String(limits)}'`,
    });
  }
  return causes;
};

/** The amount in bytes when it parses and is positive; a cause when it parses and is not. */
function positive(field: string, q: Quantity | undefined, causes: StatusCause[]): number | undefined {
  const bytes = tryParseQuantity(q);
  if (bytes === undefined) return undefined;
  if (bytes <= 0) {
    causes.push({ type: 'FieldValueInvalid', field, message: `${field} '${String(q)}': must be greater than 0` });
    return undefined;
  }
  return bytes;
}
