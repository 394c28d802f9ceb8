import { chmod, lstat, mkdir, rename, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { errFields, type Logger } from '@qvirt/log';
import { LauncherRpcError, LauncherSocketError, grpcStatusOf } from './errors.js';
import { launcherService, unixTarget } from './launcher-service.js';
import type { LauncherHandlers, PingInfo, ResourceAllocation } from './messages.js';

export interface ServeLauncherOptions {
  socketPath: string;
  handlers: LauncherHandlers;
  logger?: Logger;
}

export interface LauncherServer {
  readonly socketPath: string;
  /** Stops serving (in-flight calls get up to graceMs) and removes the socket file. */
  close(graceMs?: number): Promise<void>;
}

const SOCKET_MODE = 0o600;

/**
 * Serves the Launcher service on a unix socket with mode 0600 (root on both ends).
 * The socket is bound under a temporary name, chmod-ed, then renamed into place, so it is never
 * reachable with a looser mode. A stale socket at the path is removed; a live one is an error.
 */
export async function serveLauncher(options: ServeLauncherOptions): Promise<LauncherServer> {
  const socketPath = resolve(options.socketPath);
  await mkdir(dirname(socketPath), { recursive: true });
  await removeStaleSocket(socketPath);

  const server = new Server();
  server.addService(launcherService().definition, implementation(options.handlers, options.logger));
  const tmpPath = join(dirname(socketPath), `.${basename(socketPath)}.${process.pid}.tmp`);
  await unlink(tmpPath).catch(() => undefined);
  await new Promise<void>((ok, fail) => {
    server.bindAsync(unixTarget(tmpPath), ServerCredentials.createInsecure(), (err) => (err ? fail(err) : ok()));
  }).catch((err: unknown) => {
    server.forceShutdown();
    throw new LauncherSocketError(socketPath, `cannot listen: ${err instanceof Error ? err.message : String(err)}`);
  });
  await chmod(tmpPath, SOCKET_MODE);
  await rename(tmpPath, socketPath);
  const inode = (await lstat(socketPath)).ino;

  let closed: Promise<void> | undefined;
  return {
    socketPath,
    close(graceMs = 2000) {
      closed ??= (async () => {
        await new Promise<void>((done) => {
          const timer = setTimeout(() => {
            server.forceShutdown();
            done();
          }, graceMs);
          server.tryShutdown(() => {
            clearTimeout(timer);
            done();
          });
        });
        // Only remove the file if it is still ours (a newer launcher may have taken the path).
        const st = await lstat(socketPath).catch(() => undefined);
        if (st?.ino === inode) await unlink(socketPath).catch(() => undefined);
      })();
      return closed;
    },
  };
}

function implementation(handlers: LauncherHandlers, logger?: Logger): UntypedServiceImplementation {
  return {
    ping: unary(logger, 'Ping', async (_req: object) => toPingResponse(await handlers.ping())),
    getAllocation: unary(logger, 'GetAllocation', async (req: { resourceNames?: string[] }) => ({
      allocations: (await handlers.getAllocation(req.resourceNames ?? [])).map(toWireAllocation),
    })),
  };
}

function unary<Req, Res>(logger: Logger | undefined, method: string, fn: (req: Req) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    fn(call.request).then(
      (res) => callback(null, res),
      (err: unknown) => {
        if (err instanceof LauncherRpcError) {
          callback({ code: grpcStatusOf(err.code), details: err.message });
          return;
        }
        const fields = errFields(err);
        logger?.warn({ method, ...fields }, 'launcher rpc handler failed');
        callback({ code: grpcStatusOf('INTERNAL'), details: `${method}: ${fields.err}` });
      },
    );
  };
}

function toPingResponse(p: PingInfo): PingInfo {
  return {
    ready: p.ready,
    libvirtSocket: p.libvirtSocket,
    vmiUid: p.vmiUid,
    launcherVersion: p.launcherVersion,
    libvirtVersion: p.libvirtVersion,
    qemuVersion: p.qemuVersion,
    consoleLog: p.consoleLog,
  };
}

function toWireAllocation(a: ResourceAllocation): ResourceAllocation {
  return { resourceName: a.resourceName, pciAddresses: [...a.pciAddresses], sourceEnv: a.sourceEnv };
}

async function removeStaleSocket(socketPath: string): Promise<void> {
  const st = await lstat(socketPath).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new LauncherSocketError(socketPath, err.message);
  });
  if (!st) return;
  if (!st.isSocket()) throw new LauncherSocketError(socketPath, 'exists and is not a socket; refusing to remove it');
  if (await answers(socketPath)) throw new LauncherSocketError(socketPath, 'another process is serving on it');
  await unlink(socketPath);
}

/** A socket file whose server is gone refuses connections (ECONNREFUSED). */
function answers(socketPath: string): Promise<boolean> {
  return new Promise((done) => {
    const sock = connect(socketPath);
    const finish = (live: boolean) => {
      sock.destroy();
      done(live);
    };
    sock.once('connect', () => finish(true));
    sock.once('error', () => finish(false));
    sock.setTimeout(1000, () => finish(false));
  });
}
