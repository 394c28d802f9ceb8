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
