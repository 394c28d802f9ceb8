export type AllocateRefusalCode = 'INVALID_ARGUMENT' | 'FAILED_PRECONDITION';

/** An Allocate request the plugin refuses; `code` becomes the gRPC status. */
export class AllocateRefusal extends Error {
  override readonly name = 'AllocateRefusal';
  constructor(
    readonly code: AllocateRefusalCode,
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
