// The facts about a VMI that validation, the domain, the controller and the handler all read:
// one function for each, so the pod's request, the domain and the memlock limit cannot disagree.
export { VmiFactError, type VmiFactReason } from './vmi-fact-error.js';
export { VFIO_MEMORY_OVERHEAD_BYTES, guestMemoryBytes, memoryOverheadBytes, vmiMemory, type VmiMemory } from './memory.js';
export { MAX_VCPUS, checkedCpuTopology, cpuTopology, vcpuCount, type VcpuTopology } from './cpu.js';
export {
  deviceCounts,
  deviceRequests,
  hasVfioDevices,
  notPermittedDevices,
  notPermittedMessage,
  requestedResources,
  type DeviceList,
  type DeviceRequest,
} from './devices.js';
export { isFinalPhase } from './phase.js';
export { DEFAULT_GRACE_PERIOD_SECONDS, gracePeriodSeconds } from './grace-period.js';
export {
  CONTAINER_DISKS_ENV,
  ImageVolumePaths,
  containerDiskOverlays,
  containerDisks,
  parseContainerDiskOverlays,
  type ContainerDiskOverlay,
  defaultPullPolicy,
  kernelBootImage,
  pathInImage,
  type ContainerDiskFacts,
  type KernelBootImageFacts,
} from './image-volumes.js';
export { EMPTY_DISKS_ENV, HOST_DISKS_ENV, emptyDisks, hostDisksToCreate, parseSizedDisks, type EmptyDisk } from './empty-disks.js';
