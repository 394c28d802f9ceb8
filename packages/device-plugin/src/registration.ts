import * as grpc from '@grpc/grpc-js';
import { join } from 'node:path';
import { API_VERSION, KUBELET_SOCKET_NAME, type DevicePluginOptions, type RegisterRequest } from './api-types.js';
import { RegistrationError } from './errors.js';
import { loadDevicePluginProto } from './proto.js';

export interface RegisterOptions {
  /** The device-plugins directory holding `kubelet.sock`. */
  readonly pluginDir: string;
  /** Our socket file name, relative to `pluginDir`. */
  readonly endpoint: string;
  readonly resourceName: string;
  readonly options: DevicePluginOptions;
  readonly timeoutMs?: number;
}

/** Calls the kubelet's `Registration.Register` once; rejects with RegistrationError. */
export async function registerWithKubelet(opts: RegisterOptions): Promise<void> {
  const { Registration } = loadDevicePluginProto();
  const kubelet = join(opts.pluginDir, KUBELET_SOCKET_NAME);
  const client = new Registration(`unix://${kubelet}`, grpc.credentials.createInsecure());
  const req: RegisterRequest = { version: API_VERSION, endpoint: opts.endpoint, resource_name: opts.resourceName, options: opts.options };
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = new Date(Date.now() + (opts.timeoutMs ?? 5000));
      const register = client['Register'] as (r: RegisterRequest, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null) => void) => void;
      register.call(client, req, { deadline }, (err) => (err ? reject(err) : resolve()));
    });
  } catch (err) {
    const e = err as grpc.ServiceError;
    throw new RegistrationError(`register ${opts.resourceName} with the kubelet at ${kubelet}: ${e.details || e.message}`);
  } finally {
    client.close();
  }
}

/** Socket file name for a resource, KubeVirt style: `/` -> `-` (`qat.intel.com-generic.sock`). */
export function socketNameFor(resourceName: string): string {
  if (!/^[A-Za-z0-9.-]+\/[A-Za-z0-9._-]+$/.test(resourceName)) {
    throw new RegistrationError(`resource name ${JSON.stringify(resourceName)} must look like domain/name (e.g. qat.intel.com/generic)`);
  }
  return `${resourceName.replace(/\//g, '-')}.sock`;
}
