import type { ClusterConfig, StatusCause } from '@qvirt/api';
import type { AdmissionRequest } from './admission-review.js';
import { checkRequest, fromCauses, type AdmissionDecision, type Admitter } from './admitter.js';

export type VmiUpdateRule = (oldVmi: unknown, newVmi: unknown, config: ClusterConfig) => StatusCause[];

/** A VMI's spec is immutable after creation (KubeVirt); metadata and status may change. */
export function vmiUpdateAdmitter(validate: VmiUpdateRule): Admitter {
  return {
    name: 'vmi-update',
    admit(request: AdmissionRequest, config: ClusterConfig): AdmissionDecision {
      const bad = checkRequest(request, 'virtualmachineinstances', ['UPDATE']);
      if (bad) return bad;
      if (typeof request.oldObject !== 'object' || request.oldObject === null) {
        return { kind: 'badRequest', message: 'request.oldObject is missing on an UPDATE' };
      }
      return fromCauses(validate(request.oldObject, request.object, config));
    },
  };
}
