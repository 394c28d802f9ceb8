import type { Admitter } from './admitter.js';
import { vmiMutateAdmitter, vmMutateAdmitter, type DefaultingRule } from './mutate.admitter.js';
import { vmAdmitter, type VmRule } from './vm.admitter.js';
import { vmiCreateAdmitter, type VmiCreateRule } from './vmi-create.admitter.js';
import { vmiUpdateAdmitter, type VmiUpdateRule } from './vmi-update.admitter.js';

/** virt-api's webhook paths: KubeVirt's own (ADR 0002), registered in deploy/base/virt-api/webhooks.yaml. */
export const WebhookPaths = {
  vmiValidateCreate: '/virtualmachineinstances-validate-create',
  vmiValidateUpdate: '/virtualmachineinstances-validate-update',
  vmValidate: '/virtualmachines-validate',
  vmiMutate: '/virtualmachineinstances-mutate',
  vmMutate: '/virtualmachines-mutate',
} as const;
export type WebhookPath = (typeof WebhookPaths)[keyof typeof WebhookPaths];

/** The admission rules the webhooks apply (@qvirt/validation's functions, passed in). */
export interface AdmissionRules {
  validateVmiCreate: VmiCreateRule;
  validateVmiUpdate: VmiUpdateRule;
  validateVm: VmRule;
  defaultVmi: DefaultingRule;
  defaultVm: DefaultingRule;
}

/** Path -> admitter, one admitter per resource and operation. */
export function webhookAdmitters(rules: AdmissionRules): ReadonlyMap<WebhookPath, Admitter> {
  return new Map<WebhookPath, Admitter>([
    [WebhookPaths.vmiValidateCreate, vmiCreateAdmitter(rules.validateVmiCreate)],
    [WebhookPaths.vmiValidateUpdate, vmiUpdateAdmitter(rules.validateVmiUpdate)],
    [WebhookPaths.vmValidate, vmAdmitter(rules.validateVm)],
    [WebhookPaths.vmiMutate, vmiMutateAdmitter(rules.defaultVmi)],
    [WebhookPaths.vmMutate, vmMutateAdmitter(rules.defaultVm)],
  ]);
}
