// The narrow interface virt-handler / virt-launcher depend on: domains by name, no pointers,
// no FFI. libvirtDomainManager() adapts a LibvirtConnection; InMemoryDomainManager
// (in-memory-domain-manager.ts) lets upper layers test without a daemon.
import type { LibvirtConnection } from './connection.js';
import type { Domain } from './domain.js';
import type { DomainState } from './domain-state.js';
import type { LifecycleEvent } from './lifecycle-event.js';

export interface DomainRef {
  name: string;
  uuid: string;
}

export interface DomainManager {
  /** Defines (or redefines) a persistent domain. */
  define(xml: string): Promise<DomainRef>;
  start(name: string): Promise<void>;
  /** ACPI shutdown request; the domain stops later (watch events or state). */
  shutdown(name: string): Promise<void>;
  destroy(name: string): Promise<void>;
  undefine(name: string): Promise<void>;
  state(name: string): Promise<DomainState>;
  xml(name: string): Promise<string>;
  list(): Promise<(DomainRef & DomainState)[]>;
  /** Resolves once subscribed; the returned function unsubscribes. */
  onLifecycle(listener: (e: LifecycleEvent) => void): Promise<() => void>;
}

/** Every call looks the domain up, acts and frees the handle: callers never own pointers. */
export function libvirtDomainManager(conn: LibvirtConnection): DomainManager {
  async function withDomain<T>(name: string, fn: (d: Domain) => Promise<T>): Promise<T> {
    const d = await conn.lookupByName(name);
    try {
      return await fn(d);
    } finally {
      await d.free();
    }
  }
  return {
    async define(xml) {
      const d = await conn.defineXML(xml);
      const ref = { name: d.name, uuid: d.uuid };
      await d.free();
      return ref;
    },
    start: (name) => withDomain(name, (d) => d.create()),
    shutdown: (name) => withDomain(name, (d) => d.shutdown()),
    destroy: (name) => withDomain(name, (d) => d.destroy()),
    undefine: (name) => withDomain(name, (d) => d.undefine()),
    state: (name) => withDomain(name, (d) => d.state()),
    xml: (name) => withDomain(name, (d) => d.getXMLDesc()),
    async list() {
      const all = await conn.listDomains();
      try {
        const out: (DomainRef & DomainState)[] = [];
        for (const d of all) out.push({ name: d.name, uuid: d.uuid, ...(await d.state()) });
        return out;
      } finally {
        await Promise.all(all.map((d) => d.free()));
      }
    },
    onLifecycle: (listener) => conn.onLifecycle(listener),
  };
}
