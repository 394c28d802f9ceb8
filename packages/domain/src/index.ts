export { type Allocation, allocationFromEnv, isQatResource } from './allocation.js';
export { type DeviceAssignment, assignDevices } from './device-assignment.js';
export { type NodeFacts, type KvmProbe, type KvmDecision, detectKvm, kvmDecision } from './node-facts.js';
export type {
  DomainModel,
  DomainType,
  LifecycleAction,
  VmiReference,
  CpuModel,
  CpuTopology,
  OsModel,
  DiskModel,
  ControllerModel,
  HostdevModel,
  SerialModel,
  ConsoleModel,
} from './domain-model.js';
export { buildDomain, DOMAIN_CONFIGURATORS } from './build-domain.js';
export type { DomainConfigurator, ConverterContext } from './configurators/configurator.js';
export { EMULATED_CPU_MODEL } from './configurators/cpu.configurator.js';
export { renderDomainXml, QVIRT_METADATA_NS } from './domain-xml.js';
export { parseDomainXml } from './domain-xml-parse.js';
export { renderDomain } from './render-domain.js';
export { type PciAddress, parsePciAddress, formatPciAddress, normalizePciAddress } from './pci-address.js';
export { DomainRenderError, AllocationError, DomainParseError } from './errors.js';
export {
  planShutdown,
  acpiSent,
  DEFAULT_ACPI_RESEND_MS,
  type AcpiRequests,
  type ShutdownGrace,
  type ShutdownObservation,
  type ShutdownStep,
} from './shutdown.plan.js';
export { CLOUD_INIT_ENV, cloudInitDisk, guestHostname, parseCloudInitDisk, type CloudInitDisk, type CloudInitKind } from './cloud-init.js';
export { vmiUuid } from './stable-uuid.js';
