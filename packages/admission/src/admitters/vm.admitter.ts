import type { ClusterConfig, StatusCause } from '@qvirt/api';
import type { AdmissionRequest } from './admission-review.js';
import { checkRequest, fromCauses, type AdmissionDecision, type Admitter } from './admitter.js';

export type VmRule = (vm: unknown, config: ClusterConfig) => StatusCause[];

/** Validates a VM on create and update: its template with the VMI rules, plus run strategy. */
export function vmAdmitter(validate: VmRule): Admitter {
  return {
    name: 'vm',
    admit(request: AdmissionRequest, config: ClusterConfig): AdmissionDecision {
      return checkRequest(request, 'virtualmachines', ['CREATE', 'UPDATE']) ?? fromCauses(validate(request.object, config));
    },
  };
}
