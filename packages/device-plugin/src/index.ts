// @qvirt/device-plugin: kubelet device plugin API v1beta1 server (one per
// resource, on `<pluginDir>/<resource with / -> ->.sock`), generic over a
// DeviceSource; QAT VF, other PCI function (permittedHostDevices) and /dev/kvm sources included.
export * from './api-types.js';
export { DEVICE_PLUGIN_PROTO_PATH, loadDevicePluginProto, type DevicePluginProto } from './proto.js';
export type { DeviceSource, PluginDevice, ContainerAllocation, PluginLogger, DeviceHealth } from './device-source.js';
export { DevicePluginServer, PLUGIN_OPTIONS, type DevicePluginServerOptions, type DevicePluginStatus } from './plugin-server.js';
export { registerWithKubelet, socketNameFor, type RegisterOptions } from './registration.js';
export { preferredAllocation, type PreferredRequest } from './preferred-allocation.js';
export { checkContainerRequest } from './allocation-check.js';
export { QatDeviceSource, sharedDiscovery, type QatDeviceSourceOptions, type SharedDiscoveryOptions } from './qat-device-source.js';
export { PciDeviceSource, type PciDeviceSourceOptions } from './pci-device-source.js';
export { vfioAllocation, VFIO_PERMISSIONS, type VfioFunction } from './vfio-allocation.js';
export { KvmDeviceSource, KVM_RESOURCE_NAME, type KvmDeviceSourceOptions } from './kvm-device-source.js';
export { AllocationError, RegistrationError, DevicePluginError, type AllocationErrorCode } from './errors.js';
