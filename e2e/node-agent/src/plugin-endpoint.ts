// The kubelet's client side of one registered device plugin (devicemanager's endpoint):
// dials `<pluginDir>/<endpoint>`, keeps ListAndWatch open and calls Allocate and
// GetPreferredAllocation with the real v1beta1 protocol.
import * as grpc from '@grpc/grpc-js';
import { join } from 'node:path';
import {
  loadDevicePluginProto,
  type AllocateResponse,
  type ContainerAllocateResponse,
  type Device,
  type DevicePluginOptions,
  type ListAndWatchResponse,
  type PreferredAllocationResponse,
} from '@qvirt/device-plugin';
import type { AgentLogger } from './logger.js';

export interface PluginEndpointOptions {
  readonly pluginDir: string;
  /** Socket file name relative to pluginDir, as sent in RegisterRequest.endpoint. */
  readonly endpoint: string;
  readonly resourceName: string;
  readonly logger: AgentLogger;
  /** Every ListAndWatch message replaces the device list. */
  onDevices(devices: readonly Device[]): void;
  /** The stream ended or failed: the plugin is gone until it registers again. */
  onGone(reason: string): void;
  readonly callTimeoutMs?: number;
}

type Unary<Req, Res> = (req: Req, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: Res) => void) => void;

export class PluginCallError extends Error {
  override readonly name = 'PluginCallError';
}

export class PluginEndpoint {
  private readonly client: grpc.Client;
  private stream: grpc.ClientReadableStream<ListAndWatchResponse> | undefined;
  private closed = false;
  options: DevicePluginOptions = { pre_start_required: false, get_preferred_allocation_available: false };

  constructor(private readonly o: PluginEndpointOptions) {
    const { DevicePlugin } = loadDevicePluginProto();
    this.client = new DevicePlugin(`unix://${join(o.pluginDir, o.endpoint)}`, grpc.credentials.createInsecure());
  }

  get resourceName(): string {
    return this.o.resourceName;
  }

  /** GetDevicePluginOptions, then ListAndWatch in the background (resolves once the options arrived). */
  async start(): Promise<void> {
    this.options = await this.unary<object, DevicePluginOptions>('GetDevicePluginOptions', {});
    const call = (this.client as unknown as { ListAndWatch(req: object): grpc.ClientReadableStream<ListAndWatchResponse> }).ListAndWatch({});
    this.stream = call;
    call.on('data', (msg: ListAndWatchResponse) => this.o.onDevices(msg.devices ?? []));
    let ended = false;
    const end = (reason: string): void => {
      if (ended) return;
      ended = true;
      if (!this.closed) this.o.onGone(reason);
    };
    call.on('error', (err: grpc.ServiceError) => end(`ListAndWatch failed: ${err.details || err.message}`));
    call.on('end', () => end('ListAndWatch stream ended'));
  }

  async preferredAllocation(available: readonly string[], size: number): Promise<string[] | undefined> {
    if (!this.options.get_preferred_allocation_available) return undefined;
    const res = await this.unary<object, PreferredAllocationResponse>('GetPreferredAllocation', {
      container_requests: [{ available_deviceIDs: [...available], must_include_deviceIDs: [], allocation_size: size }],
    });
    return res.container_responses[0]?.deviceIDs;
  }

  async allocate(ids: readonly string[]): Promise<ContainerAllocateResponse> {
    const res = await this.unary<object, AllocateResponse>('Allocate', { container_requests: [{ devices_ids: [...ids] }] });
    const c = res.container_responses[0];
    if (!c) throw new PluginCallError(`${this.o.resourceName}: Allocate returned no container response`);
    return c;
  }

  close(): void {
    this.closed = true;
    this.stream?.cancel();
    this.client.close();
  }

  private unary<Req, Res>(method: string, req: Req): Promise<Res> {
    const fn = (this.client as unknown as Record<string, Unary<Req, Res>>)[method];
    if (!fn) throw new PluginCallError(`device plugin client has no method ${method}`);
    const deadline = new Date(Date.now() + (this.o.callTimeoutMs ?? 10_000));
    return new Promise((resolve, reject) =>
      fn.call(this.client, req, { deadline }, (err, res) =>
        err ? reject(new PluginCallError(`${this.o.resourceName}: ${method} on ${this.o.endpoint}: ${err.details || err.message}`)) : resolve(res),
      ),
    );
  }
}
