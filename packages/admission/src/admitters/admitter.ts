import type { ClusterConfig, StatusCause } from '@qvirt/api';
import type { JsonPatchOperation } from '@qvirt/validation';
import type { AdmissionRequest } from './admission-review.js';

/**
 * What an admitter decided. `badRequest`: the review is well formed but not something this
 * webhook judges (wrong kind for the path, no object); answered as a 400 inside the review.
 */
export type AdmissionDecision =
  { kind: 'allow'; patch?: JsonPatchOperation[] } | { kind: 'deny'; causes: StatusCause[] } | { kind: 'badRequest'; message: string };

/** One admitter per resource and operation (KubeVirt's layout), all behind this interface. */
export interface Admitter {
  /** For logs and metrics, e.g. `vmi-create`. */
  readonly name: string;
  admit(request: AdmissionRequest, config: ClusterConfig): AdmissionDecision;
}

export const allow = (patch?: JsonPatchOperation[]): AdmissionDecision =>
  patch !== undefined && patch.length > 0 ? { kind: 'allow', patch } : { kind: 'allow' };

/** Allow when nothing is wrong, otherwise one 422 with every cause. */
export const fromCauses = (causes: StatusCause[]): AdmissionDecision => (causes.length === 0 ? { kind: 'allow' } : { kind: 'deny', causes });

/**
 * The request must be for `resource` in kubevirt.io with one of `operations` and carry an object;
 * otherwise the reason it is not. The apiserver only sends what the webhook rules select,
 * so a mismatch means a misconfigured webhook configuration.
 */
export function checkRequest(request: AdmissionRequest, resource: string, operations: readonly string[]): AdmissionDecision | undefined {
  const r = request.resource;
  if (r.group !== 'kubevirt.io' || r.resource !== resource) {
    return { kind: 'badRequest', message: `expected resource kubevirt.io/${resource}, got ${r.group || 'core'}/${r.resource}` };
  }
  if (!operations.includes(request.operation)) {
    return { kind: 'badRequest', message: `operation ${request.operation} is not handled here (expected ${operations.join(' or ')})` };
  }
  if (typeof request.object !== 'object' || request.object === null) {
    return { kind: 'badRequest', message: 'request.object is missing' };
  }
  return undefined;
}
