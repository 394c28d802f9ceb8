import * as grpc from '@grpc/grpc-js';
import { watch, type FSWatcher } from 'node:fs';
import { lstat, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type * as api from './api-types.js';
import { KUBELET_SOCKET_NAME } from './api-types.js';
import { checkContainerRequest } from './allocation-check.js';
import { errFields, silentLogger, type Logger } from '@qvirt/log';
import type { DeviceSource, PluginDevice } from './device-source.js';
import { AllocateRefusal, DevicePluginError } from './errors.js';
import { preferredAllocation } from './preferred-allocation.js';
import { loadDevicePluginProto } from './proto.js';
import { registerWithKubelet, socketNameFor } from './registration.js';
import { toListAndWatch, toContainerResponse } from './wire.js';

export interface DevicePluginServerOptions {
  readonly source: DeviceSource;
  /** The kubelet's device-plugins directory (`/var/lib/kubelet/device-plugins`). */
  readonly pluginDir: string;
  readonly logger?: Logger;
  /** Re-list interval; sysfs/debugfs values do not raise inotify events. Default 500 ms. */
  readonly pollIntervalMs?: number;
  /** How often to check that our socket still exists. Default 250 ms. */
  readonly socketCheckIntervalMs?: number;
  /** Retry interval while the kubelet refuses registration. Default 1000 ms. */
  readonly registerRetryMs?: number;
}

export interface DevicePluginStatus {
  readonly serving: boolean;
  readonly registered: boolean;
  readonly registrations: number;
  readonly restarts: number;
  readonly devices: number;
}

export const PLUGIN_OPTIONS: api.DevicePluginOptions = { pre_start_required: false, get_preferred_allocation_available: true };

/** One kubelet device plugin (one resource) on a unix socket, generic over its DeviceSource. */
export class DevicePluginServer {
  readonly socketName: string;
  readonly socketPath: string;
  private readonly log: Logger;
  private server: grpc.Server | null = null;
  private socketIno: number | null = null;
  private devices: readonly PluginDevice[] = [];
  private byId = new Map<string, PluginDevice>();
  private signature = '';
  private readonly streams = new Set<grpc.ServerWritableStream<api.Empty, api.ListAndWatchResponse>>();
  private timers: NodeJS.Timeout[] = [];
  private watchers: FSWatcher[] = [];
  private registerTimer: NodeJS.Timeout | null = null;
  private stopped = true;
  private restarting = false;
  private refreshing: Promise<void> | null = null;
  private stats = { registered: false, registrations: 0, restarts: 0 };

  constructor(private readonly opts: DevicePluginServerOptions) {
    this.socketName = socketNameFor(opts.source.resourceName);
    this.socketPath = join(opts.pluginDir, this.socketName);
    if (Buffer.byteLength(this.socketPath) > 107)
      throw new DevicePluginError(`socket path ${this.socketPath} is longer than the 107 bytes a unix socket allows`);
    this.log = opts.logger ?? silentLogger;
  }

  get resourceName(): string {
    return this.opts.source.resourceName;
  }

  status(): DevicePluginStatus {
    return { serving: this.server !== null, ...this.stats, devices: this.devices.length };
  }

  /** Current device list as last advertised. */
  currentDevices(): readonly PluginDevice[] {
    return this.devices;
  }

  /** Lists devices, serves the socket, registers (retrying in the background if the kubelet is not up). */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await this.refresh();
    await this.serve();
    await this.registerOrRetry();
    this.timers.push(setInterval(() => void this.refresh(), this.opts.pollIntervalMs ?? 500));
    this.timers.push(setInterval(() => void this.checkSocket(), this.opts.socketCheckIntervalMs ?? 250));
    for (const dir of this.opts.source.watchPaths ?? []) this.watchDir(dir, () => void this.refresh());
    this.watchDir(this.opts.pluginDir, (_event, file) => {
      void this.checkSocket();
      // A new kubelet.sock is a kubelet ready for registrations: waiting out a retry timer started
      // against the old (dead) socket would only delay it.
      if (file === KUBELET_SOCKET_NAME && this.registerTimer) void this.registerOrRetry();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.registerTimer) clearTimeout(this.registerTimer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
    await this.shutdownServer();
    await this.removeOwnSocket();
  }

  /** Re-lists devices; pushes to every ListAndWatch stream when anything changed. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    let list: readonly PluginDevice[];
    try {
      list = await this.opts.source.listDevices();
    } catch (err) {
      this.log.error({ resource: this.resourceName, ...errFields(err) }, 'listing devices failed; keeping the previous list');
      return;
    }
    const sig = JSON.stringify(list.map((d) => [d.id, d.health, d.numaNode, d.groupKey ?? null]));
    if (sig === this.signature) return;
    const long = list.find((d) => d.id.length > 63);
    if (long) this.log.warn({ id: long.id }, 'device ID longer than 63 characters; the kubelet will reject it');
    this.signature = sig;
    this.devices = list;
    this.byId = new Map(list.map((d) => [d.id, d]));
    this.log.info({ resource: this.resourceName, devices: list.length, unhealthy: list.filter((d) => d.health !== 'Healthy').length }, 'device list changed');
    const msg = toListAndWatch(list);
    for (const s of this.streams) s.write(msg);
  }

  private async serve(): Promise<void> {
    await mkdir(this.opts.pluginDir, { recursive: true });
    await rm(this.socketPath, { force: true });
    const { DevicePlugin } = loadDevicePluginProto();
    const server = new grpc.Server();
    server.addService(DevicePlugin.service, this.handlers());
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(`unix://${this.socketPath}`, grpc.ServerCredentials.createInsecure(), (err) =>
        err ? reject(new DevicePluginError(`serve ${this.resourceName} on ${this.socketPath}: ${err.message}`)) : resolve(),
      ),
    );
    this.server = server;
    this.socketIno = (await lstat(this.socketPath)).ino;
    this.log.info({ resource: this.resourceName, socket: this.socketPath }, 'device plugin serving');
  }

  private async shutdownServer(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.streams) s.end();
    this.streams.clear();
    if (server) server.forceShutdown();
  }

  private async removeOwnSocket(): Promise<void> {
    try {
      if ((await lstat(this.socketPath)).ino === this.socketIno) await rm(this.socketPath, { force: true });
    } catch {
      // already gone
    }
  }

  private async registerOrRetry(): Promise<void> {
    if (this.registerTimer) clearTimeout(this.registerTimer);
    this.registerTimer = null;
    try {
      await registerWithKubelet({ pluginDir: this.opts.pluginDir, endpoint: this.socketName, resourceName: this.resourceName, options: PLUGIN_OPTIONS });
      this.stats.registered = true;
      this.stats.registrations++;
      this.log.info({ resource: this.resourceName }, 'registered with the kubelet');
    } catch (err) {
      this.stats.registered = false;
      this.log.warn({ resource: this.resourceName, ...errFields(err) }, 'registration failed; retrying');
      if (!this.stopped) this.registerTimer = setTimeout(() => void this.registerOrRetry(), this.opts.registerRetryMs ?? 1000);
    }
  }

  /** A restarting kubelet deletes every socket in its directory: serve again and re-register. */
  private async checkSocket(): Promise<void> {
    if (this.stopped || this.restarting || this.server === null) return;
    let ino: number | null = null;
    try {
      ino = (await lstat(this.socketPath)).ino;
    } catch {
      ino = null;
    }
    if (ino !== null && ino === this.socketIno) return;
    this.restarting = true;
    try {
      this.log.warn({ resource: this.resourceName, socket: this.socketPath }, 'plugin socket removed (kubelet restart?); serving again');
      this.stats.restarts++;
      this.stats.registered = false;
      await this.shutdownServer();
      if (this.stopped) return;
      await this.serve();
      await this.registerOrRetry();
    } catch (err) {
      this.log.error({ resource: this.resourceName, ...errFields(err) }, 'restarting the plugin failed; will retry');
    } finally {
      this.restarting = false;
    }
  }

  private watchDir(dir: string, onChange: (event: string, file: string | null) => void): void {
    try {
      const w = watch(dir, { persistent: false }, (event, file) => onChange(event, typeof file === 'string' ? file : null));
      w.on('error', () => w.close());
      this.watchers.push(w);
    } catch {
      // Not there (yet): polling covers it.
    }
  }

  private handlers(): grpc.UntypedServiceImplementation {
    return {
      GetDevicePluginOptions: (_call: grpc.ServerUnaryCall<api.Empty, api.DevicePluginOptions>, cb: grpc.sendUnaryData<api.DevicePluginOptions>) =>
        cb(null, PLUGIN_OPTIONS),
      ListAndWatch: (call: grpc.ServerWritableStream<api.Empty, api.ListAndWatchResponse>) => {
        this.streams.add(call);
        const drop = (): void => void this.streams.delete(call);
        call.on('cancelled', drop);
        call.on('close', drop);
        call.on('error', drop);
        call.write(toListAndWatch(this.devices));
      },
      GetPreferredAllocation: (
        call: grpc.ServerUnaryCall<api.PreferredAllocationRequest, api.PreferredAllocationResponse>,
        cb: grpc.sendUnaryData<api.PreferredAllocationResponse>,
      ) => {
        const container_responses = call.request.container_requests.map((r) => ({
          deviceIDs: preferredAllocation({ available: r.available_deviceIDs, mustInclude: r.must_include_deviceIDs, size: r.allocation_size }, this.devices),
        }));
        cb(null, { container_responses });
      },
      Allocate: (call: grpc.ServerUnaryCall<api.AllocateRequest, api.AllocateResponse>, cb: grpc.sendUnaryData<api.AllocateResponse>) => {
        try {
          const container_responses = call.request.container_requests.map((r) =>
            toContainerResponse(this.opts.source.allocate(checkContainerRequest(this.resourceName, r.devices_ids, this.byId))),
          );
          this.log.info({ resource: this.resourceName, containers: call.request.container_requests.map((r) => r.devices_ids) }, 'allocated');
          cb(null, { container_responses });
        } catch (err) {
          if (!(err instanceof AllocateRefusal)) this.log.error({ resource: this.resourceName, ...errFields(err) }, 'allocate failed');
          const code =
            err instanceof AllocateRefusal && err.code === 'FAILED_PRECONDITION'
              ? grpc.status.FAILED_PRECONDITION
              : err instanceof AllocateRefusal
                ? grpc.status.INVALID_ARGUMENT
                : grpc.status.INTERNAL;
          this.log.warn({ resource: this.resourceName, ...errFields(err) }, 'allocate refused');
          cb({ code, details: (err as Error).message, name: 'AllocateError', message: (err as Error).message });
        }
      },
      PreStartContainer: (
        _call: grpc.ServerUnaryCall<api.PreStartContainerRequest, api.PreStartContainerResponse>,
        cb: grpc.sendUnaryData<api.PreStartContainerResponse>,
      ) => cb(null, {}),
    };
  }
}
