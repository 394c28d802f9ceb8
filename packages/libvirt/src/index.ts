export { LibvirtConnection, type OpenOptions, type CloseReason, type LifecycleListener, type CloseListener } from './connection.js';
export { Domain, DomainFreedError } from './domain.js';
export { mapDomainState, type DomainState, type DomainStateName } from './domain-state.js';
export { mapLifecycleEvent, isTerminalEvent, type LifecycleEvent, type LifecycleEventType } from './lifecycle-event.js';
export {
  LibvirtError,
  toLibvirtError,
  isLibvirtError,
  isLibvirtNotFound,
  isOperationInvalid,
  isLibvirtAlreadyExists,
  isConnectionLost,
  type RawLibvirtError,
} from './libvirt-error.js';
export { ErrorCode, ErrorDomain, errorCodeName, errorDomainName, type ErrorLevel } from './error-codes.js';
export { qemuUnixUri, socketOfUri, LibvirtUriError } from './uri.js';
// Transitional alias of @qvirt/log's Logger for apps/virt-handler/src/vmi/launcher-session.ts, which is
// being rewritten; drop it once that imports Logger from @qvirt/log.
export { libvirtDomainManager, type DomainManager, type DomainRef } from './domain-manager.js';
