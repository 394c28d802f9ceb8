import { cpuTopology, MAX_VCPUS, type StatusCause } from '@qvirt/api';
import { child } from '../field-path.js';
import type { SpecRule } from '../spec-view.js';

/**
 * CPU topology: cores, sockets and threads are positive integers (the shape check enforces
 * type and minimum), and their product, the guest's vCPU count, is at most MAX_VCPUS.
 */
export const validateCpu: SpecRule = (fieldPath, spec) => {
  const cpu = spec.domain?.cpu;
  if (cpu === undefined) return [];
  const { cores, sockets, threads, vcpus } = cpuTopology(cpu);
  const causes: StatusCause[] = [];
  if (vcpus > MAX_VCPUS) {
    const field = child(fieldPath, 'domain.cpu');
    causes.push({
      type: 'FieldValueInvalid',
      field,
      message: `${field}: Invalid value: ${vcpus} vCPUs (cores ${cores} x sockets ${sockets} x threads ${threads}): must be at most ${MAX_VCPUS}`,
    });
  }
  return causes;
};
