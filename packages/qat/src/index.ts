// @qvirt/qat: Intel QAT discovery in sysfs (PF/VF by PCI ID and generation,
// driver, IOMMU group, NUMA node, health, services) and opt-in vfio-pci
// binding. The SIMULATED host tree builder for tests and the local stack is @qvirt/qat/testing.
//
// Resource names (see resource-names.ts for the full table):
//   DH895xCC, C62x, C3xxx, C4xxx, D15xx VFs -> qat.intel.com/generic
//   4xxx/401xx/402xx/420xx/6xxx VFs, by the PF's qat/cfg_services:
//     sym;asym -> qat.intel.com/cy, dc -> qat.intel.com/dc, sym -> qat.intel.com/sym,
//     asym -> qat.intel.com/asym, asym;dc -> qat.intel.com/asym-dc, sym;dc -> qat.intel.com/sym-dc,
//     dcc -> qat.intel.com/dcc, decomp -> qat.intel.com/decomp.
export {
  QAT_GENERATIONS,
  INTEL_VENDOR_ID,
  VFIO_PCI_DRIVER,
  matchQatDevice,
  generationInfo,
  normalizeHexId,
  type QatGeneration,
  type QatGenerationInfo,
  type QatDeviceMatch,
  type QatFunctionKind,
} from './pci-ids.js';
export {
  QAT_RESOURCE_GENERIC,
  QAT_RESOURCE_PREFIX,
  resourceForServices,
  pciResourceEnvName,
  type QatService,
  type ServiceResourceResult,
} from './resource-names.js';
export type { QatPf, QatVf, QatDiscovery, IgnoredVf, HeartbeatStatus, DeviceHealth } from './qat-device.js';
export { discoverQat, type DiscoverOptions } from './vf-discovery.js';
export { discoverPciHostDevices, normalizePciSelector, type PciHostDevice } from './pci-host-devices.js';
export { heartbeatPath } from './pf-discovery.js';
export { NOIOMMU_GROUP_NAME } from './iommu-group.js';
export { bindToVfio, PCI_ADDRESS_RE, type BindToVfioOptions, type BindResult, type SysfsWrite } from './vfio-bind.js';
export { SysfsReadError, VfioBindError } from './errors.js';
