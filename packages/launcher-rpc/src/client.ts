import { resolve } from 'node:path';
import { Metadata, credentials, type Client, type ServiceError } from '@grpc/grpc-js';
import { LauncherRpcError, codeOfGrpcStatus } from './errors.js';
import { launcherService, unixTarget } from './launcher-service.js';
import type { PingInfo, ResourceAllocation } from './messages.js';

export interface CallOptions {
  /** Milliseconds until the call fails with DEADLINE_EXCEEDED. */
  deadlineMs?: number;
}

const DEFAULT_DEADLINE_MS = 5000;

// A launcher that is still starting must be seen soon after it listens: keep reconnect
// backoff short (grpc-js defaults grow to 120 s).
const CHANNEL_OPTIONS = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.min_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
};

type UnaryMethod = (req: object, meta: Metadata, opts: { deadline: Date }, cb: (err: ServiceError | null, res?: unknown) => void) => void;

/** The handler's side of the launcher protocol. Every failure rejects with LauncherRpcError. */
export class LauncherClient {
  private constructor(
    readonly socketPath: string,
    private readonly client: Client,
  ) {}

  /** Creates a client for the launcher socket; the connection is made on the first call. */
  static connect(socketPath: string): LauncherClient {
    const abs = resolve(socketPath);
    const { Client: Ctor } = launcherService();
    return new LauncherClient(abs, new Ctor(unixTarget(abs), credentials.createInsecure(), CHANNEL_OPTIONS));
  }

  async ping(opts: CallOptions = {}): Promise<PingInfo> {
    const res = (await this.call('ping', {}, opts)) as PingInfo;
    return {
      ready: res.ready,
      libvirtSocket: res.libvirtSocket,
      vmiUid: res.vmiUid,
      launcherVersion: res.launcherVersion,
      libvirtVersion: res.libvirtVersion,
      qemuVersion: res.qemuVersion,
      consoleLog: res.consoleLog,
    };
  }

  /** FAILED_PRECONDITION when the launcher's allocation env is missing or malformed. */
  async getAllocation(resourceNames: readonly string[], opts: CallOptions = {}): Promise<ResourceAllocation[]> {
    const res = (await this.call('getAllocation', { resourceNames: [...resourceNames] }, opts)) as {
      allocations: ResourceAllocation[];
    };
    return res.allocations.map((a) => ({
      resourceName: a.resourceName,
      pciAddresses: [...a.pciAddresses],
      sourceEnv: a.sourceEnv,
    }));
  }

  close(): void {
    this.client.close();
  }

  /** Transport failures name the socket; the launcher's own answers are passed on as they are. */
  private toError(err: ServiceError): LauncherRpcError {
    const code = codeOfGrpcStatus(err.code);
    const details = err.details || err.message;
    const transport = code === 'UNAVAILABLE' || code === 'DEADLINE_EXCEEDED' || code === 'CANCELLED';
    return new LauncherRpcError(code, transport ? `launcher at ${this.socketPath}: ${details}` : details);
  }

  private call(method: 'ping' | 'getAllocation', req: object, opts: CallOptions): Promise<unknown> {
    const fn = (this.client as unknown as Record<string, UnaryMethod>)[method];
    if (!fn) throw new Error(`launcher client has no method ${method}`);
    const deadline = new Date(Date.now() + (opts.deadlineMs ?? DEFAULT_DEADLINE_MS));
    return new Promise((ok, fail) => {
      fn.call(this.client, req, new Metadata(), { deadline }, (err, res) => {
        if (err) fail(this.toError(err));
        else ok(res);
      });
    });
  }
}
