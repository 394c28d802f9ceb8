// The node's device manager (the kubelet's devicemanager, reduced): one endpoint per registered
// resource, the devices each advertises, and which pod holds which device. A device is never
// handed to two pods; a pod's devices are freed when the pod ends.
import type { ContainerAllocateResponse, Device, RegisterRequest } from '@qvirt/device-plugin';
import { DeviceAdmissionError, pickDevices } from './device-allocation.js';
import { errMessage, type AgentLogger } from './logger.js';
import { PluginEndpoint } from './plugin-endpoint.js';

export interface ResourceCounts {
  /** All advertised devices. */
  capacity: number;
  /** Healthy ones (the scheduler's view). */
  allocatable: number;
}

export interface DeviceManagerOptions {
  readonly pluginDir: string;
  readonly logger: AgentLogger;
  /** Device counts changed (node status should be posted). */
  onChange(): void;
}

interface ResourceState {
  endpoint: PluginEndpoint | undefined;
  devices: Map<string, string>; // id -> health
}

/** What a pod got for one resource. */
export interface ResourceAllocation {
  readonly resourceName: string;
  readonly deviceIds: readonly string[];
  readonly response: ContainerAllocateResponse;
}

export class DeviceManager {
  private readonly resources = new Map<string, ResourceState>();
  /** device key `<resource>/<id>` -> pod uid */
  private readonly owner = new Map<string, string>();
  private lock: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: DeviceManagerOptions) {}

  /** Registration.Register: (re)connects to the plugin; a second registration replaces the first endpoint. */
  register(req: RegisterRequest): void {
    const log = this.o.logger.child({ resource: req.resource_name, endpoint: req.endpoint });
    const state = this.state(req.resource_name);
    state.endpoint?.close();
    const endpoint = new PluginEndpoint({
      pluginDir: this.o.pluginDir,
      endpoint: req.endpoint,
      resourceName: req.resource_name,
      logger: log,
      onDevices: (devices) => this.setDevices(req.resource_name, endpoint, devices),
      onGone: (reason) => {
        if (state.endpoint !== endpoint) return;
        log.warn({ reason }, 'device plugin gone; its devices are unhealthy until it registers again');
        state.endpoint = undefined;
        for (const id of state.devices.keys()) state.devices.set(id, 'Unhealthy');
        this.o.onChange();
      },
    });
    state.endpoint = endpoint;
    log.info({}, 'device plugin registered');
    endpoint.start().catch((err: unknown) => {
      log.error({ err: errMessage(err) }, 'could not talk to the registered device plugin');
      if (state.endpoint === endpoint) state.endpoint = undefined;
      endpoint.close();
    });
  }

  /** Resource name -> counts, for Node status. */
  counts(): Map<string, ResourceCounts> {
    const out = new Map<string, ResourceCounts>();
    for (const [name, s] of this.resources) {
      const healthy = [...s.devices.values()].filter((h) => h === 'Healthy').length;
      out.set(name, { capacity: s.devices.size, allocatable: healthy });
    }
    return out;
  }

  isServed(resourceName: string): boolean {
    return this.resources.has(resourceName);
  }

  /** Device IDs a pod holds per resource (for checkpoints). */
  devicesOf(podUid: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [key, uid] of this.owner) {
      if (uid !== podUid) continue;
      const i = key.lastIndexOf('\0');
      (out[key.slice(0, i)] ??= []).push(key.slice(i + 1));
    }
    return out;
  }

  /** After an agent restart: the pod already holds these devices (from its checkpoint). */
  restore(podUid: string, devices: Readonly<Record<string, readonly string[]>>): void {
    for (const [resource, ids] of Object.entries(devices)) for (const id of ids) this.owner.set(`${resource}\0${id}`, podUid);
  }

  /**
   * Picks and allocates devices for every requested resource of one container, all or nothing.
   * Serialized, so two pods admitted at once never get the same device.
   */
  allocate(podUid: string, requests: ReadonlyMap<string, number>): Promise<ResourceAllocation[]> {
    const run = this.lock.then(() => this.allocateNow(podUid, requests));
    this.lock = run.catch(() => undefined);
    return run;
  }

  release(podUid: string): void {
    let freed = 0;
    for (const [key, uid] of this.owner) {
      if (uid === podUid) {
        this.owner.delete(key);
        freed++;
      }
    }
    if (freed > 0) this.o.logger.info({ podUid, freed }, 'devices freed');
  }

  close(): void {
    for (const s of this.resources.values()) s.endpoint?.close();
  }

  private async allocateNow(podUid: string, requests: ReadonlyMap<string, number>): Promise<ResourceAllocation[]> {
    const held = this.devicesOf(podUid);
    const taken: string[] = [];
    const out: ResourceAllocation[] = [];
    try {
      for (const [resourceName, count] of requests) {
        const state = this.resources.get(resourceName);
        if (!state?.endpoint) throw new DeviceAdmissionError(resourceName, `no device plugin is registered for ${resourceName} on this node`);
        let ids = held[resourceName];
        if (!ids || ids.length !== count) {
          const free = [...state.devices].filter(([id, h]) => h === 'Healthy' && !this.owner.has(`${resourceName}\0${id}`)).map(([id]) => id);
          if (free.length < count) pickDevices(resourceName, free, count); // throws the kubelet's message
          const preferred = await state.endpoint.preferredAllocation(free, count).catch((err: unknown) => {
            this.o.logger.warn({ resource: resourceName, err: errMessage(err) }, 'GetPreferredAllocation failed; picking devices in order');
            return undefined;
          });
          ids = pickDevices(resourceName, free, count, preferred);
          for (const id of ids) {
            this.owner.set(`${resourceName}\0${id}`, podUid);
            taken.push(`${resourceName}\0${id}`);
          }
        }
        const response = await state.endpoint.allocate(ids);
        out.push({ resourceName, deviceIds: ids, response });
      }
      return out;
    } catch (err) {
      for (const key of taken) this.owner.delete(key);
      throw err;
    }
  }

  private state(resourceName: string): ResourceState {
    let s = this.resources.get(resourceName);
    if (!s) {
      s = { endpoint: undefined, devices: new Map() };
      this.resources.set(resourceName, s);
    }
    return s;
  }

  private setDevices(resourceName: string, endpoint: PluginEndpoint, devices: readonly Device[]): void {
    const s = this.state(resourceName);
    if (s.endpoint !== endpoint) return;
    const before = JSON.stringify([...s.devices]);
    s.devices = new Map(devices.map((d) => [d.ID, d.health === 'Healthy' ? 'Healthy' : 'Unhealthy']));
    if (JSON.stringify([...s.devices]) === before) return;
    this.o.logger.info({ resource: resourceName, devices: s.devices.size, healthy: [...s.devices.values()].filter((h) => h === 'Healthy').length }, 'device list');
    this.o.onChange();
  }
}
