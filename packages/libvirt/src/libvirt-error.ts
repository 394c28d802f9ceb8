// Typed libvirt errors and the classifiers upper layers branch on (KubeVirt's
// errors.IsNotFound / IsInvalidOperation idea), so they never parse messages themselves.
import { ErrorCode, ErrorDomain, errorCodeName, errorDomainName, errorLevel, type ErrorLevel } from './error-codes.js';

/** The fields of libvirt's virError that carry meaning. */
export interface RawLibvirtError {
  code: number;
  domain: number;
  message: string | null;
  level: number;
}

export class LibvirtError extends Error {
  override readonly name = 'LibvirtError';
  /** virErrorNumber, e.g. 42 (VIR_ERR_NO_DOMAIN). */
  readonly code: number;
  /** virErrorDomain, e.g. 10 (VIR_FROM_QEMU). */
  readonly domain: number;
  readonly level: ErrorLevel;
  /** libvirt's own message, unchanged. */
  readonly libvirtMessage: string;
  /** The API call that failed, e.g. `virDomainLookupByName(vm1)`. */
  readonly operation: string;

  constructor(opts: { code: number; domain: number; level: ErrorLevel; message: string; operation: string }) {
    super(`${opts.operation}: ${opts.message} (${errorCodeName(opts.code)}, ${errorDomainName(opts.domain)})`);
    this.code = opts.code;
    this.domain = opts.domain;
    this.level = opts.level;
    this.libvirtMessage = opts.message;
    this.operation = opts.operation;
  }

  get codeName(): string {
    return errorCodeName(this.code);
  }
}

/** Maps a decoded virError (or its absence) to a LibvirtError. */
export function toLibvirtError(raw: RawLibvirtError | null, operation: string): LibvirtError {
  if (!raw || raw.code === ErrorCode.OK) {
    // libvirt failed without recording why (it sets a generic message itself in most paths).
    return new LibvirtError({
      code: ErrorCode.INTERNAL_ERROR,
      domain: ErrorDomain.NONE,
      level: 'error',
      message: 'libvirt reported failure without an error record',
      operation,
    });
  }
  return new LibvirtError({
    code: raw.code,
    domain: raw.domain,
    level: errorLevel(raw.level),
    message: raw.message ?? errorCodeName(raw.code),
    operation,
  });
}

/** A synthetic error for calls refused because the connection is already known to be gone. */
export function connectionLostError(operation: string, uri: string, why: string): LibvirtError {
  return new LibvirtError({
    code: ErrorCode.NO_CONNECT,
    domain: ErrorDomain.REMOTE,
    level: 'error',
    message: `connection to ${uri} is lost (${why}); open a new connection`,
    operation,
  });
}

export function isLibvirtError(err: unknown): err is LibvirtError {
  return err instanceof LibvirtError;
}

const notFoundCodes: ReadonlySet<number> = new Set([
  ErrorCode.NO_DOMAIN,
  ErrorCode.NO_NETWORK,
  ErrorCode.NO_STORAGE_POOL,
  ErrorCode.NO_STORAGE_VOL,
  ErrorCode.NO_NODE_DEVICE,
  ErrorCode.NO_SECRET,
  ErrorCode.NO_DOMAIN_SNAPSHOT,
  ErrorCode.NO_DOMAIN_METADATA,
  ErrorCode.NO_DOMAIN_CHECKPOINT,
  ErrorCode.NO_DOMAIN_BACKUP,
]);

/** The object (domain, network, ...) does not exist (any more). */
export function isLibvirtNotFound(err: unknown): boolean {
  return isLibvirtError(err) && notFoundCodes.has(err.code);
}

/** The operation does not apply in the object's current state (e.g. destroy of a shut-off domain). */
export function isOperationInvalid(err: unknown): boolean {
  return isLibvirtError(err) && err.code === ErrorCode.OPERATION_INVALID;
}

/** Defining a domain whose name or UUID is taken. */
export function isLibvirtAlreadyExists(err: unknown): boolean {
  return isLibvirtError(err) && err.code === ErrorCode.DOM_EXIST;
}

/**
 * The daemon is gone or unreachable: the connection is unusable and must be reopened.
 * Covers a refused/failed connect (NO_CONNECT, SYSTEM_ERROR), a dead socket seen by the RPC
 * layer (`End of file while reading data`, `client socket is closed`, keepalive timeout) and
 * calls on a connection already closed by libvirt (INVALID_CONN).
 */
export function isConnectionLost(err: unknown): boolean {
  if (!isLibvirtError(err)) return false;
  switch (err.code) {
    case ErrorCode.NO_CONNECT:
    case ErrorCode.INVALID_CONN:
    case ErrorCode.RPC:
      return true;
    case ErrorCode.SYSTEM_ERROR:
      // A system error in the RPC/remote layer is the socket; elsewhere (e.g. QEMU) it is not.
      return err.domain === ErrorDomain.RPC || err.domain === ErrorDomain.REMOTE;
    case ErrorCode.INTERNAL_ERROR:
    case ErrorCode.OPERATION_FAILED:
      return err.domain === ErrorDomain.RPC && /socket is closed|end of file|keepalive|connection/i.test(err.libvirtMessage);
    default:
      return false;
  }
}
