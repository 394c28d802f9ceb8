export { LibvirtConnection, type OpenOptions, type CloseReason, type LifecycleListener, type CloseListener } from './connection.js';
export { Domain, DomainFreedError } from './domain.js';
export { mapDomainState, type DomainState, type DomainStateName } from './domain-state.js';
export { mapLifecycleEvent, isTerminalEvent, type LifecycleEvent, type LifecycleEventType } from './lifecycle-event.js';
export {
  LibvirtError,
  toLibvirtError,
  isLibvirtError,
  isNotFound,
  isOperationInvalid,
  isAlreadyExists,
  isConnectionLost,
  type RawLibvirtError,
} from './libvirt-error.js';
export { ErrorCode, ErrorDomain, errorCodeName, errorDomainName, type ErrorLevel } from './error-codes.js';
export { qemuUnixUri, socketOfUri, LibvirtUriError } from './uri.js';
export type { LibvirtLogger } from './logger.js';
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
export { libvirtDomainManager, type DomainManager, type DomainRef } from './domain-manager.js';
export { InMemoryDomainManager, type InMemoryDomainManagerOptions } from './in-memory-domain-manager.js';
