import { status as GrpcStatus } from '@grpc/grpc-js';

/** gRPC's canonical status names (without OK): what a caller can branch on. */
export type LauncherRpcCode =
  | 'CANCELLED'
  | 'UNKNOWN'
  | 'INVALID_ARGUMENT'
  | 'DEADLINE_EXCEEDED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_EXHAUSTED'
  | 'FAILED_PRECONDITION'
  | 'ABORTED'
  | 'OUT_OF_RANGE'
  | 'UNIMPLEMENTED'
  | 'INTERNAL'
  | 'UNAVAILABLE'
  | 'DATA_LOSS'
  | 'UNAUTHENTICATED';

/**
 * An error on either side of the launcher protocol. A server handler throws it to answer with
 * that status (e.g. FAILED_PRECONDITION for bad allocation env); the client rejects with it for
 * every failed call (UNAVAILABLE: nothing listens; DEADLINE_EXCEEDED: it did not answer in time).
 */
export class LauncherRpcError extends Error {
  override readonly name = 'LauncherRpcError';
  constructor(
    readonly code: LauncherRpcCode,
    message: string,
  ) {
    super(message);
  }
}

/** Raised by serveLauncher when the socket path is taken by a live server or is not a socket. */
export class LauncherSocketError extends Error {
  override readonly name = 'LauncherSocketError';
  constructor(
    readonly socketPath: string,
    reason: string,
  ) {
    super(`launcher socket ${socketPath}: ${reason}`);
  }
}

export function grpcStatusOf(code: LauncherRpcCode): GrpcStatus {
  return GrpcStatus[code];
}

export function codeOfGrpcStatus(value: number): LauncherRpcCode {
  const name = GrpcStatus[value] as keyof typeof GrpcStatus | undefined;
  return name === undefined || name === 'OK' ? 'UNKNOWN' : name;
}
