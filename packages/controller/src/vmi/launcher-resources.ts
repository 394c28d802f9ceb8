import {
  ResourceNames,
  VmiFactError,
  deviceCounts,
  formatBytes,
  vcpuCount,
  vmiMemory,
  type ResourceRequirements,
  type VirtualMachineInstance,
} from '@qvirt/api';
import { LauncherPodRenderError } from './render-errors.js';

export type KvmMode = 'kvm' | 'emulation';

/**
 * The compute container's resources. Memory is vmiMemory's pod request and limit (guest RAM or
 * the request, plus the launcher's overhead). Extended resources (QAT, KVM) must have
 * requests == limits in Kubernetes, so both are set.
 */
export function launcherResources(vmi: VirtualMachineInstance, kvmMode: KvmMode): ResourceRequirements {
  const res = vmi.spec.domain.resources;
  const { memory, vcpus } = podFacts(vmi);
  const requests: Record<string, string> = {
    // No cpu request given: 100m per vCPU (KubeVirt's default cpuAllocationRatio of 10).
    cpu: res?.requests?.cpu !== undefined ? String(res.requests.cpu) : `${100 * vcpus}m`,
    memory: formatBytes(memory.podRequestBytes),
  };
  const limits: Record<string, string> = {};
  if (res?.limits?.cpu !== undefined) limits.cpu = String(res.limits.cpu);
  if (memory.podLimitBytes !== undefined) limits.memory = formatBytes(memory.podLimitBytes);
  for (const [name, n] of deviceCounts(vmi)) {
    requests[name] = String(n);
    limits[name] = String(n);
  }
  if (kvmMode === 'kvm') {
    requests[ResourceNames.kvm] = '1';
    limits[ResourceNames.kvm] = '1';
  }
  return { requests, limits };
}

function podFacts(vmi: VirtualMachineInstance) {
  try {
    return { memory: vmiMemory(vmi), vcpus: vcpuCount(vmi) };
  } catch (err) {
    if (err instanceof VmiFactError) throw new LauncherPodRenderError(err.reason, err.message);
    throw err;
  }
}
