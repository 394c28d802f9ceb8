// The kubelet's `Registration` service on `<pluginDir>/kubelet.sock` (device plugin API v1beta1).
import * as grpc from '@grpc/grpc-js';
import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { API_VERSION, KUBELET_SOCKET_NAME, loadDevicePluginProto, type RegisterRequest } from '@qvirt/device-plugin';

export interface RegistrationServerOptions {
  readonly pluginDir: string;
  /** Throws to refuse (the message goes back to the plugin). */
  onRegister(req: RegisterRequest): void;
}

export class RegistrationServer {
  private server: grpc.Server | undefined;

  constructor(private readonly o: RegistrationServerOptions) {}

  get socketPath(): string {
    return join(this.o.pluginDir, KUBELET_SOCKET_NAME);
  }

  /** A starting kubelet removes every socket in the directory, so plugins notice and register again. */
  async start(): Promise<void> {
    await mkdir(this.o.pluginDir, { recursive: true });
    await removeSockets(this.o.pluginDir);
    const { Registration } = loadDevicePluginProto();
    const server = new grpc.Server();
    server.addService(Registration.service, {
      Register: (call: grpc.ServerUnaryCall<RegisterRequest, object>, cb: grpc.sendUnaryData<object>) => {
        const req = call.request;
        const invalid = registerRequestProblem(req);
        if (invalid) return cb({ code: grpc.status.INVALID_ARGUMENT, details: invalid, name: 'RegisterError', message: invalid });
        try {
          this.o.onRegister(req);
          cb(null, {});
        } catch (err) {
          const msg = err instanceof Error ? err.message : String(err);
          cb({ code: grpc.status.FAILED_PRECONDITION, details: msg, name: 'RegisterError', message: msg });
        }
      },
    });
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(`unix://${this.socketPath}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
    );
    this.server = server;
  }

  async stop(): Promise<void> {
    this.server?.forceShutdown();
    this.server = undefined;
    await rm(this.socketPath, { force: true });
  }
}

/** The kubelet's checks of a RegisterRequest (pure): a reason, or undefined when acceptable. */
export function registerRequestProblem(req: RegisterRequest): string | undefined {
  if (req.version !== API_VERSION) return `unsupported device plugin API version ${JSON.stringify(req.version)}; this node speaks ${API_VERSION}`;
  if (!/^[A-Za-z0-9.-]+\/[A-Za-z0-9._-]+$/.test(req.resource_name ?? '')) return `resource name ${JSON.stringify(req.resource_name)} is not an extended resource name (domain/name)`;
  if (req.resource_name.startsWith('kubernetes.io/') || req.resource_name.endsWith('.kubernetes.io/')) return `resource name ${req.resource_name} is in a reserved namespace`;
  if (!req.endpoint || req.endpoint.includes('/') || req.endpoint === KUBELET_SOCKET_NAME) return `endpoint ${JSON.stringify(req.endpoint)} must be a socket file name in the device-plugins directory`;
  return undefined;
}

async function removeSockets(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const p = join(dir, name);
    if ((await lstat(p)).isSocket()) await rm(p, { force: true });
  }
}
