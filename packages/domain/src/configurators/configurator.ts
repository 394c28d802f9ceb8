import type { VirtualMachineInstance } from '@qvirt/api';
import type { DeviceAssignment } from '../device-assignment.js';
import type { DomainModel } from '../domain-model.js';
import type { NodeFacts } from '../node-facts.js';

/** Inputs besides the VMI: the devices' addresses and what the node offers. */
export interface ConverterContext {
  readonly assignments: readonly DeviceAssignment[];
  readonly facts: NodeFacts;
}

/**
 * One concern of the VMI -> domain conversion (KubeVirt's converter configurators).
 * Mutates the draft; throws DomainRenderError naming the field on bad input.
 */
export interface DomainConfigurator {
  readonly name: string;
  configure(vmi: VirtualMachineInstance, domain: DomainModel, ctx: ConverterContext): void;
}
