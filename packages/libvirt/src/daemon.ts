// @qvirt/libvirt/daemon: a VM's own libvirtd + virtlogd, as virt-launcher runs them (in its
// container, or in a mount and pid namespace of its own: ADR 0007), and their config files.
export {
  startPrivateLibvirtd,
  processesInNamespace,
  pidNamespaceOf,
  PrivateLibvirtdError,
  type LibvirtDaemon,
  type PrivateLibvirtd,
  type PrivateLibvirtdOptions,
  type PrivateLibvirtdPids,
} from './private-libvirtd.js';
export {
  validatePaths,
  renderLibvirtdConf,
  renderQemuConf,
  renderVirtlogdConf,
  renderInitScript,
  PrivateLibvirtdConfigError,
  NAMESPACE_PRIVATE_DIRS,
  type PrivateLibvirtdPaths,
  type Isolation,
} from './private-libvirtd-config.js';
export { startContainerLibvirtd } from './container-libvirtd.js';
export { detectIsolation, startVmLibvirtd } from './isolation.js';
export { findQemuDriver } from './daemon-files.js';
