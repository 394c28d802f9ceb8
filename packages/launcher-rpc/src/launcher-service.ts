import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type ServiceClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** The .proto ships beside src/ and dist/, so the same relative path works from both. */
export const LAUNCHER_PROTO_PATH = fileURLToPath(new URL('../proto/launcher/v1/launcher.proto', import.meta.url));

export interface LauncherService {
  definition: ServiceDefinition;
  Client: ServiceClientConstructor;
}

let cached: LauncherService | undefined;

/** Loads the proto once, on first use (not at import time). */
export function launcherService(): LauncherService {
  if (cached) return cached;
  const pkgDef = loadSync(LAUNCHER_PROTO_PATH, { keepCase: false, longs: String, enums: String, defaults: true });
  const root = loadPackageDefinition(pkgDef) as unknown as {
    qvirt: { launcher: { v1: { Launcher: ServiceClientConstructor } } };
  };
  const Client = root.qvirt.launcher.v1.Launcher;
  cached = { definition: Client.service, Client };
  return cached;
}

/** grpc-js target for a unix socket path. */
export function unixTarget(socketPath: string): string {
  return `unix:${socketPath}`;
}
