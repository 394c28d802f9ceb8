import type { CPU, VirtualMachineInstance } from '../types/vmi.js';
import { VmiFactError } from './vmi-fact-error.js';

/** QEMU 7.2's q35 machine accepts at most 288 vCPUs (its max_cpus); more fails at domain start. */
export const MAX_VCPUS = 288;

export interface VcpuTopology {
  sockets: number;
  cores: number;
  threads: number;
  /** sockets x cores x threads: the guest's vCPU count. */
  vcpus: number;
}

/** The topology as written, each count defaulting to 1 (for callers that report bad values themselves). */
export function cpuTopology(cpu: CPU | undefined): VcpuTopology {
  const sockets = cpu?.sockets ?? 1;
  const cores = cpu?.cores ?? 1;
  const threads = cpu?.threads ?? 1;
  return { sockets, cores, threads, vcpus: sockets * cores * threads };
}

/** The topology, each count an integer from 1 to MAX_VCPUS and their product at most MAX_VCPUS. */
export function checkedCpuTopology(cpu: CPU | undefined): VcpuTopology {
  const topology = cpuTopology(cpu);
  for (const key of ['sockets', 'cores', 'threads'] as const) {
    const value = topology[key];
    if (!Number.isInteger(value) || value < 1 || value > MAX_VCPUS) {
      throw new VmiFactError('InvalidCpuTopology', `spec.domain.cpu.${key}`, `${JSON.stringify(value)} must be an integer from 1 to ${MAX_VCPUS}`);
    }
  }
  if (topology.vcpus > MAX_VCPUS) {
    throw new VmiFactError('InvalidCpuTopology', 'spec.domain.cpu', `sockets x cores x threads = ${topology.vcpus} vCPUs, more than the maximum ${MAX_VCPUS}`);
  }
  return topology;
}

/** The guest's vCPU count. */
export function vcpuCount(vmi: VirtualMachineInstance): number {
  return checkedCpuTopology(vmi.spec?.domain?.cpu).vcpus;
}
