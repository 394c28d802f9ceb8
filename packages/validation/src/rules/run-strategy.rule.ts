import type { StatusCause } from '@qvirt/api';
import { child } from '../field-path.js';

/**
 * A VM says how it runs with exactly one of `running` (legacy) and `runStrategy`; KubeVirt's
 * messages. Takes the spec as sent: presence counts here, while mistyped or unsupported values
 * are the shape check's to report (so a bad runStrategy is one cause, not two).
 */
export function validateRunStrategy(fieldPath: string, spec: { running?: unknown; runStrategy?: unknown }): StatusCause[] {
  const field = child(fieldPath, 'running');
  if (spec.running !== undefined && spec.runStrategy !== undefined) {
    return [{ type: 'FieldValueInvalid', field, message: 'Running and RunStrategy are mutually exclusive' }];
  }
  if (spec.running === undefined && spec.runStrategy === undefined) {
    return [{ type: 'FieldValueInvalid', field, message: 'One of Running or RunStrategy must be specified' }];
  }
  return [];
}
