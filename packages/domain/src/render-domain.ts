import type { VirtualMachineInstance } from '@qvirt/api';
import type { Allocation } from './allocation.js';
import { buildDomain } from './build-domain.js';
import { assignDevices } from './device-assignment.js';
import { renderDomainXml } from './domain-xml.js';
import type { NodeFacts } from './node-facts.js';

/** assignDevices + buildDomain + renderDomainXml. */
export function renderDomain(vmi: VirtualMachineInstance, allocation: Allocation, facts: NodeFacts): string {
  return renderDomainXml(buildDomain(vmi, assignDevices(vmi, allocation), facts));
}

/** Every resource the VMI's QATs and host devices ask for (what allocationFromEnv should read). */
export function requestedResources(vmi: VirtualMachineInstance): string[] {
  const devices = vmi.spec?.domain?.devices;
  const list = (l: unknown): { deviceName?: unknown }[] => (Array.isArray(l) ? l : []);
  const names = [...list(devices?.qats), ...list(devices?.hostDevices)]
    .map((d) => d?.deviceName)
    .filter((n): n is string => typeof n === 'string');
  return [...new Set(names)];
}
