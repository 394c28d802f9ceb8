export * from './types/meta.js';
export * from './types/vmi.js';
export * from './types/vm.js';
export * from './types/kubevirt.js';
export * from './constants.js';
export * from './cluster-config.js';
export * from './quantity.js';
export * from './base64.js';
export type { JsonSchema } from './schema/builders.js';
// The structural schemas the CRDs are generated from: virt-api checks manifests against the same source.
export { vmiSpecSchema, vmSpecSchema, MAX_DEVICES } from './schema/vmi-spec.schema.js';
export * from './vmi-facts/index.js';
