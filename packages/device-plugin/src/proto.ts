import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

/** Our copy of the kubelet's v1beta1 proto (same from src/ and dist/). */
export const DEVICE_PLUGIN_PROTO_PATH = fileURLToPath(new URL('../proto/deviceplugin/v1beta1/api.proto', import.meta.url));

export interface DevicePluginProto {
  readonly Registration: grpc.ServiceClientConstructor;
  readonly DevicePlugin: grpc.ServiceClientConstructor;
}

let cached: DevicePluginProto | undefined;

/** Loads the v1beta1 services (keepCase: field names as in the .proto; int64 as numbers). */
export function loadDevicePluginProto(): DevicePluginProto {
  if (cached) return cached;
  const def = protoLoader.loadSync(DEVICE_PLUGIN_PROTO_PATH, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def)['v1beta1'] as grpc.GrpcObject;
  cached = {
    Registration: pkg['Registration'] as grpc.ServiceClientConstructor,
    DevicePlugin: pkg['DevicePlugin'] as grpc.ServiceClientConstructor,
  };
  return cached;
}
