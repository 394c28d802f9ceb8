import type { ClusterConfig, StatusCause } from '@qvirt/api';
import type { AdmissionRequest } from './admission-review.js';
import { checkRequest, fromCauses, type AdmissionDecision, type Admitter } from './admitter.js';

export type VmiCreateRule = (vmi: unknown, config: ClusterConfig) => StatusCause[];

/** Validates a new VMI's spec (QAT gate, names, deviceNames, domain basics). */
export function vmiCreateAdmitter(validate: VmiCreateRule): Admitter {
  return {
    name: 'vmi-create',
    admit(request: AdmissionRequest, config: ClusterConfig): AdmissionDecision {
      return checkRequest(request, 'virtualmachineinstances', ['CREATE']) ?? fromCauses(validate(request.object, config));
    },
  };
}
