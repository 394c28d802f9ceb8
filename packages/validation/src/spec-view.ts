import type { ClusterConfig, StatusCause, VirtualMachineInstanceSpec } from '@qvirt/api';
import type { DeepPartial } from './shape.js';

/** A VMI spec after the shape check: typed, every field optional. */
export type VmiSpecView = DeepPartial<VirtualMachineInstanceSpec>;

/**
 * One admission rule, KubeVirt's shape: `(fieldPath, spec, config) -> causes`, pure,
 * collecting every problem. `fieldPath` is where the spec sits (`spec`, `spec.template.spec`).
 */
export type SpecRule = (fieldPath: string, spec: VmiSpecView, config: ClusterConfig) => StatusCause[];
