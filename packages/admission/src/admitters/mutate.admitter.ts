import type { ClusterConfig } from '@qvirt/api';
import type { JsonPatchOperation } from '@qvirt/validation';
import type { AdmissionRequest } from './admission-review.js';
import { allow, checkRequest, type AdmissionDecision, type Admitter } from './admitter.js';

export type DefaultingRule = (obj: unknown, config: ClusterConfig) => JsonPatchOperation[];

/** Defaults a new VMI (machine type, CPU topology, memory) as a JSON patch. KubeVirt mutates VMIs on create only. */
export function vmiMutateAdmitter(defaults: DefaultingRule): Admitter {
  return mutator('vmi-mutate', 'virtualmachineinstances', ['CREATE'], defaults);
}

/** Defaults a VM's template on create and update. */
export function vmMutateAdmitter(defaults: DefaultingRule): Admitter {
  return mutator('vm-mutate', 'virtualmachines', ['CREATE', 'UPDATE'], defaults);
}

function mutator(name: string, resource: string, operations: readonly string[], defaults: DefaultingRule): Admitter {
  return {
    name,
    admit(request: AdmissionRequest, config: ClusterConfig): AdmissionDecision {
      return checkRequest(request, resource, operations) ?? allow(defaults(request.object, config));
    },
  };
}
