// @qvirt/device-plugin: kubelet device plugin API v1beta1 server (one per
// resource, on `<pluginDir>/<resource with / -> ->.sock`), generic over a
// DeviceSource; VFIO sources (QAT VFs, other permitted PCI functions) and /dev/kvm included.
export * from './api-types.js';
export { DEVICE_PLUGIN_PROTO_PATH, loadDevicePluginProto, type DevicePluginProto } from './proto.js';
export type { DeviceSource, PluginDevice, ContainerAllocation } from './device-source.js';
export { DevicePluginServer, PLUGIN_OPTIONS, type DevicePluginServerOptions, type DevicePluginStatus } from './plugin-server.js';
export { registerWithKubelet, socketNameFor, type RegisterOptions } from './registration.js';
export { preferredAllocation, type PreferredRequest } from './preferred-allocation.js';
export { checkContainerRequest } from './allocation-check.js';
export { QatDeviceSource, sharedDiscovery, type QatDeviceSourceOptions, type SharedDiscoveryOptions } from './qat-device-source.js';
export { VfioDeviceSource, VFIO_PERMISSIONS, type VfioDevice, type VfioDeviceSourceOptions } from './vfio-device-source.js';
export { KvmDeviceSource, KVM_RESOURCE_NAME, type KvmDeviceSourceOptions } from './kvm-device-source.js';
export { AllocateRefusal, RegistrationError, DevicePluginError, type AllocateRefusalCode } from './errors.js';
