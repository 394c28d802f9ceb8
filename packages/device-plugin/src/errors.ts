export type AllocationErrorCode = 'INVALID_ARGUMENT' | 'FAILED_PRECONDITION';

/** An Allocate request the plugin refuses; `code` becomes the gRPC status. */
export class AllocationError extends Error {
  override readonly name = 'AllocationError';
  constructor(
    readonly code: AllocationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Registering with the kubelet failed (it may not be up yet; the server retries). */
export class RegistrationError extends Error {
  override readonly name = 'RegistrationError';
}

/** The plugin could not serve (bad options, socket path, bind failure). */
export class DevicePluginError extends Error {
  override readonly name = 'DevicePluginError';
}
