// A DomainManager without libvirt, for unit tests of the layers above. It follows libvirt's
// observable behaviour where callers branch on it: the same error codes (isLibvirtNotFound,
// isOperationInvalid), the same event sequence (started/booted; shutdown/finished then
// stopped/shutdown; stopped/destroyed), and a guest that may ignore ACPI.
import { randomUUID } from 'node:crypto';
import { ErrorCode, ErrorDomain } from './error-codes.js';
import type { DomainManager, DomainRef } from './domain-manager.js';
import type { DomainState } from './domain-state.js';
import { mapLifecycleEvent, type LifecycleEvent } from './lifecycle-event.js';
import { LibvirtError } from './libvirt-error.js';

interface Entry extends DomainRef {
  xml: string;
  state: DomainState;
}

export interface InMemoryDomainManagerOptions {
  /** When false, shutdown() is accepted but the guest stays running (like a guest without ACPI). */
  guestObeysAcpi?: boolean;
}

const EVENT = { defined: 0, undefined: 1, started: 2, stopped: 5, shutdown: 6, crashed: 8 } as const;

export class InMemoryDomainManager implements DomainManager {
  private readonly domains = new Map<string, Entry>();
  private readonly listeners = new Set<(e: LifecycleEvent) => void>();
  guestObeysAcpi: boolean;

  constructor(opts: InMemoryDomainManagerOptions = {}) {
    this.guestObeysAcpi = opts.guestObeysAcpi ?? true;
  }

  async define(xml: string): Promise<DomainRef> {
    const name = /<name>\s*([^<]+?)\s*<\/name>/.exec(xml)?.[1];
    if (!name) throw this.error(ErrorCode.XML_ERROR, 'virDomainDefineXML', 'XML error: missing domain name');
    const uuid = /<uuid>\s*([^<]+?)\s*<\/uuid>/.exec(xml)?.[1] ?? this.domains.get(name)?.uuid ?? randomUUID();
    const existing = this.domains.get(name);
    const entry: Entry = { name, uuid, xml, state: existing?.state ?? { state: 'shutoff', reason: 'unknown' } };
    this.domains.set(name, entry);
    this.emit(entry, EVENT.defined, existing ? 1 : 0);
    return { name, uuid };
  }

  async start(name: string): Promise<void> {
    const d = this.get(name, 'virDomainCreate');
    if (d.state.state === 'running') {
      throw this.error(ErrorCode.OPERATION_INVALID, `virDomainCreate(${name})`, 'Requested operation is not valid: domain is already running');
    }
    d.state = { state: 'running', reason: 'booted' };
    this.emit(d, EVENT.started, 0);
  }

  async shutdown(name: string): Promise<void> {
    const d = this.get(name, 'virDomainShutdown');
    this.requireRunning(d, 'virDomainShutdown');
    if (!this.guestObeysAcpi) return;
    setImmediate(() => {
      if (d.state.state !== 'running') return;
      d.state = { state: 'shutoff', reason: 'shutdown' };
      this.emit(d, EVENT.shutdown, 0);
      this.emit(d, EVENT.stopped, 0);
    });
  }

  async destroy(name: string): Promise<void> {
    const d = this.get(name, 'virDomainDestroy');
    this.requireRunning(d, 'virDomainDestroy');
    d.state = { state: 'shutoff', reason: 'destroyed' };
    this.emit(d, EVENT.stopped, 1);
  }

  /** Test helper: the guest crashes (QEMU gone). */
  crash(name: string): void {
    const d = this.get(name, 'crash');
    d.state = { state: 'shutoff', reason: 'crashed' };
    this.emit(d, EVENT.stopped, 2);
  }

  async undefine(name: string): Promise<void> {
    const d = this.get(name, 'virDomainUndefine');
    this.domains.delete(name);
    this.emit(d, EVENT.undefined, 0);
  }

  async state(name: string): Promise<DomainState> {
    return { ...this.get(name, 'virDomainGetState').state };
  }

  async xml(name: string): Promise<string> {
    return this.get(name, 'virDomainGetXMLDesc').xml;
  }

  async list(): Promise<(DomainRef & DomainState)[]> {
    return [...this.domains.values()].map((d) => ({ name: d.name, uuid: d.uuid, ...d.state }));
  }

  async onLifecycle(listener: (e: LifecycleEvent) => void): Promise<() => void> {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private get(name: string, op: string): Entry {
    const d = this.domains.get(name);
    if (!d) {
      throw this.error(ErrorCode.NO_DOMAIN, `${op}(${name})`, `Domain not found: no domain with matching name '${name}'`);
    }
    return d;
  }

  private requireRunning(d: Entry, op: string): void {
    if (d.state.state !== 'running') {
      throw this.error(ErrorCode.OPERATION_INVALID, `${op}(${d.name})`, 'Requested operation is not valid: domain is not running');
    }
  }

  private error(code: number, operation: string, message: string): LibvirtError {
    return new LibvirtError({ code, domain: ErrorDomain.QEMU, level: 'error', message, operation });
  }

  private emit(d: Entry, event: number, detail: number): void {
    const ev = mapLifecycleEvent(d.name, d.uuid, event, detail);
    setImmediate(() => {
      for (const l of this.listeners) l(ev);
    });
  }
}
