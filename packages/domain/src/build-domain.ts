import type { VirtualMachineInstance } from '@qvirt/api';
import { clockConfigurator } from './configurators/clock.configurator.js';
import type { ConverterContext, DomainConfigurator } from './configurators/configurator.js';
import { cpuConfigurator } from './configurators/cpu.configurator.js';
import { disksConfigurator } from './configurators/disks.configurator.js';
import { featuresConfigurator } from './configurators/features.configurator.js';
import { hostdevConfigurator } from './configurators/hostdev.configurator.js';
import { lifecycleConfigurator } from './configurators/lifecycle.configurator.js';
import { memballoonConfigurator } from './configurators/memballoon.configurator.js';
import { memoryConfigurator } from './configurators/memory.configurator.js';
import { metadataConfigurator } from './configurators/metadata.configurator.js';
import { osConfigurator } from './configurators/os.configurator.js';
import { serialConsoleConfigurator } from './configurators/serial-console.configurator.js';
import { typeConfigurator } from './configurators/type.configurator.js';
import { usbControllerConfigurator } from './configurators/usb-controller.configurator.js';
import { vfioMemoryConfigurator } from './configurators/vfio-memory.configurator.js';
import type { DeviceAssignment } from './device-assignment.js';
import { emptyDomain, type DomainModel } from './domain-model.js';
import { DomainRenderError } from './errors.js';
import type { NodeFacts } from './node-facts.js';

/** In order: vfio-memory reads what memory and hostdev wrote. */
export const DOMAIN_CONFIGURATORS: readonly DomainConfigurator[] = [
  metadataConfigurator,
  typeConfigurator,
  memoryConfigurator,
  cpuConfigurator,
  osConfigurator,
  featuresConfigurator,
  clockConfigurator,
  lifecycleConfigurator,
  usbControllerConfigurator,
  disksConfigurator,
  serialConsoleConfigurator,
  hostdevConfigurator,
  vfioMemoryConfigurator,
  memballoonConfigurator,
];

/** The domain for a VMI whose devices already have addresses. Pure; throws DomainRenderError. */
export function buildDomain(vmi: VirtualMachineInstance, assignments: readonly DeviceAssignment[], facts: NodeFacts): DomainModel {
  assertShape(vmi);
  const domain = emptyDomain();
  const ctx: ConverterContext = { assignments, facts };
  for (const configurator of DOMAIN_CONFIGURATORS) configurator.configure(vmi, domain, ctx);
  return domain;
}

/** Input comes from YAML/JSON: check the skeleton before configurators read into it. */
function assertShape(vmi: unknown): asserts vmi is VirtualMachineInstance {
  if (typeof vmi !== 'object' || vmi === null) throw new DomainRenderError('(root)', 'a VirtualMachineInstance object is required');
  const v = vmi as Partial<VirtualMachineInstance>;
  if (v.kind !== undefined && v.kind !== 'VirtualMachineInstance') {
    throw new DomainRenderError('kind', `${JSON.stringify(v.kind)} is not VirtualMachineInstance`);
  }
  if (typeof v.spec !== 'object' || v.spec === null) throw new DomainRenderError('spec', 'required');
  if (typeof v.spec.domain !== 'object' || v.spec.domain === null) throw new DomainRenderError('spec.domain', 'required');
  if (v.spec.domain.devices !== undefined && (typeof v.spec.domain.devices !== 'object' || v.spec.domain.devices === null)) {
    throw new DomainRenderError('spec.domain.devices', 'must be an object');
  }
  for (const list of ['disks', 'qats', 'hostDevices'] as const) {
    const value = v.spec.domain.devices?.[list];
    if (value !== undefined && value !== null && !Array.isArray(value)) {
      throw new DomainRenderError(`spec.domain.devices.${list}`, 'must be a list');
    }
  }
  if (v.spec.volumes !== undefined && v.spec.volumes !== null && !Array.isArray(v.spec.volumes)) {
    throw new DomainRenderError('spec.volumes', 'must be a list');
  }
}
