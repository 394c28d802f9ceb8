// A fake KUBELET for tests: the peer of our plugin (serves Registration on
// kubelet.sock, dials the plugin's endpoint with the real protocol). It is
// not a mock of our code.
import * as grpc from '@grpc/grpc-js';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type * as api from '../src/api-types.js';
import { loadDevicePluginProto } from '../src/proto.js';

export class FakeKubelet {
  readonly registrations: api.RegisterRequest[] = [];
  private waiters: (() => void)[] = [];
  private clients: grpc.Client[] = [];
  private server: grpc.Server | null = null;

  constructor(readonly dir: string) {}

  get socketPath(): string {
    return join(this.dir, 'kubelet.sock');
  }

  async start(): Promise<this> {
    const { Registration } = loadDevicePluginProto();
    await rm(this.socketPath, { force: true });
    const server = new grpc.Server();
    server.addService(Registration.service, {
      Register: (call: grpc.ServerUnaryCall<api.RegisterRequest, api.Empty>, cb: grpc.sendUnaryData<api.Empty>) => {
        this.registrations.push(call.request);
        cb(null, {});
        for (const w of this.waiters.splice(0)) w();
      },
    });
    await new Promise<void>((res, rej) => server.bindAsync(`unix://${this.socketPath}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? rej(e) : res())));
    this.server = server;
    return this;
  }

  /** Resolves with the n-th registration (1-based) once it has arrived. */
  async registration(n: number, timeoutMs = 3000): Promise<api.RegisterRequest> {
    const deadline = Date.now() + timeoutMs;
    while (this.registrations.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`registration #${n} did not arrive within ${timeoutMs} ms (got ${this.registrations.length})`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
    return this.registrations[n - 1] as api.RegisterRequest;
  }

  /** A DevicePlugin client on `<dir>/<endpoint>`, as the kubelet dials it. */
  plugin(endpoint: string): PluginClient {
    const { DevicePlugin } = loadDevicePluginProto();
    const c = new DevicePlugin(`unix://${join(this.dir, endpoint)}`, grpc.credentials.createInsecure());
    this.clients.push(c);
    return new PluginClient(c);
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.close();
    this.server?.forceShutdown();
    this.server = null;
  }
}

type Unary<Req, Res> = (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => void;

export class PluginClient {
  constructor(readonly raw: grpc.Client) {}

  private unary<Req, Res>(method: string, req: Req): Promise<Res> {
    const fn = (this.raw as unknown as Record<string, Unary<Req, Res>>)[method];
    if (!fn) throw new Error(`no method ${method}`);
    return new Promise((res, rej) => fn.call(this.raw, req, (err, r) => (err ? rej(err) : res(r))));
  }

  options(): Promise<api.DevicePluginOptions> {
    return this.unary('GetDevicePluginOptions', {});
  }
  allocate(containers: string[][]): Promise<api.AllocateResponse> {
    return this.unary('Allocate', { container_requests: containers.map((devices_ids) => ({ devices_ids })) });
  }
  preferred(reqs: { available: string[]; mustInclude: string[]; size: number }[]): Promise<api.PreferredAllocationResponse> {
    return this.unary('GetPreferredAllocation', {
      container_requests: reqs.map((r) => ({ available_deviceIDs: r.available, must_include_deviceIDs: r.mustInclude, allocation_size: r.size })),
    });
  }
  preStart(ids: string[]): Promise<api.PreStartContainerResponse> {
    return this.unary('PreStartContainer', { devices_ids: ids });
  }

  /** Opens ListAndWatch; collects every message. */
  listAndWatch(): DeviceStream {
    const call = (this.raw as unknown as { ListAndWatch(req: api.Empty): grpc.ClientReadableStream<api.ListAndWatchResponse> }).ListAndWatch({});
    return new DeviceStream(call);
  }
}

export class DeviceStream {
  readonly messages: { at: number; msg: api.ListAndWatchResponse }[] = [];
  private waiters: (() => void)[] = [];
  ended = false;

  constructor(private readonly call: grpc.ClientReadableStream<api.ListAndWatchResponse>) {
    call.on('data', (msg: api.ListAndWatchResponse) => {
      this.messages.push({ at: Date.now(), msg });
      for (const w of this.waiters.splice(0)) w();
    });
    const end = (): void => {
      this.ended = true;
      for (const w of this.waiters.splice(0)) w();
    };
    call.on('end', end);
    call.on('error', end);
  }

  /** The first message (at or after index `from`) matching `pred`. */
  async waitFor(pred: (m: api.ListAndWatchResponse) => boolean, timeoutMs = 3000, from = 0): Promise<{ at: number; msg: api.ListAndWatchResponse }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.messages.slice(from).find((m) => pred(m.msg));
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0 || this.ended)
        throw new Error(`no matching ListAndWatch message within ${timeoutMs} ms (${this.messages.length} received, ended=${this.ended})`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  cancel(): void {
    this.call.cancel();
  }
}
