// @qvirt/validation: virt-api's admission rules as pure functions. Validators take untrusted
// objects and return every problem as KubeVirt-style StatusCauses; defaulters return the
// mutating webhook's RFC 6902 patch.
export { validateVmiSpec, vmiSpecRules } from './vmi-spec.validator.js';
export { validateVmiCreate, validateVmiUpdate, VMI_UPDATE_RESTRICTED_MESSAGE } from './vmi.validator.js';
export { validateVm } from './vm.validator.js';
export { validateManifest, MANIFEST_KINDS, type ManifestResult } from './manifest.js';
export { defaultVmi, defaultVm, DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS } from './vmi-spec.defaulter.js';
export { jsonString, jsonPatchBase64 } from './json-text.js';
export { applyJsonPatch, jsonPointer, parseJsonPointer, escapePointerSegment, JsonPatchError, type JsonPatchOperation } from './json-patch.js';
export { QAT_GATE_DISABLED_MESSAGE } from './rules/qat-devices.rule.js';
export { HOST_DEVICES_GATE_DISABLED_MESSAGE } from './rules/host-devices.rule.js';
export { MAX_CAUSES } from './causes.js';
export type { SpecRule, VmiSpecView } from './spec-view.js';
