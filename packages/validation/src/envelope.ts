import type { StatusCause } from '@qvirt/api';
import { invalid, unknownField } from './causes.js';
import { isRecord, jsonType, own, type JsonRecord } from './untrusted.js';

const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);

/** The object around a spec: known top-level fields only, metadata an object, apiVersion/kind strings. */
export function envelopeCauses(obj: JsonRecord): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const k of Object.keys(obj)) {
    if (!ENVELOPE_KEYS.has(k)) causes.push(unknownField(k));
  }
  for (const k of ['apiVersion', 'kind']) {
    const v = own(obj, k);
    if (v !== undefined && typeof v !== 'string') causes.push(invalid(k, jsonType(v), 'must be of type string'));
  }
  const metadata = own(obj, 'metadata');
  if (metadata !== undefined && !isRecord(metadata)) causes.push(invalid('metadata', jsonType(metadata), 'must be of type object'));
  return causes;
}

/** The cause for a whole object that is not an object at all. */
export function notAnObject(kind: string, value: unknown): StatusCause {
  return { type: 'FieldValueInvalid', field: '', message: `Invalid value: ${jsonType(value)}: a ${kind} must be an object` };
}
