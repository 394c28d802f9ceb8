// One libvirt connection (virConnectPtr) with typed errors, lifecycle events and a dead-daemon
// detector. Every blocking call runs on a koffi worker (`.async`); calls on one connection run
// one at a time (see error-capture.ts). Ownership: the connection owns its virConnectPtr and
// frees it in close(); Domains it hands out are owned by the caller (Domain.free()) and any
// left are freed by close().
import { CallQueue } from './call-queue.js';
import { Domain, type DomainOwner } from './domain.js';
import { errorMark, installErrorHandler, readConnError, resetConnError, unboundErrorSince } from './error-capture.js';
import { eventLoop } from './event-loop.js';
import { mapLifecycleEvent, type LifecycleEvent } from './lifecycle-event.js';
import { connectionLostError, toLibvirtError } from './libvirt-error.js';
import { errFields, silentLogger, type Logger } from '@qvirt/log';
import { callAsync, decodePointerArray, freeNative, loadNative, registerCallback, type Ptr } from './native.js';

type NativeFn = ReturnType<typeof loadNative>['virDomainCreate'];

export interface OpenOptions {
  logger?: Logger;
  /**
   * libvirt keepalive: a dead or frozen daemon is declared lost after about
   * intervalSec * (count + 1) seconds without an answer. `false` turns it off.
   * Default {intervalSec: 5, count: 3}. A killed daemon (socket EOF) is noticed at once anyway.
   */
  keepAlive?: { intervalSec: number; count: number } | false;
}

export type CloseReason = 'error' | 'eof' | 'keepalive' | 'client';
const closeReasons: readonly CloseReason[] = ['error', 'eof', 'keepalive', 'client'];

export type LifecycleListener = (event: LifecycleEvent) => void;
export type CloseListener = (reason: CloseReason) => void;

const VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0;

// One native callback each for the whole process, dispatching by connection id (the opaque
// pointer): callbacks are never unregistered, so a late call from libvirt cannot hit a freed
// koffi trampoline.
const live = new Map<number, LibvirtConnection>();
let nextId = 1;
let lifecycleCb: Ptr | null = null;
let closeCb: Ptr | null = null;
const openQueue = new CallQueue();

function idOf(opaque: unknown): number {
  return typeof opaque === 'bigint' ? Number(opaque) : typeof opaque === 'number' ? opaque : 0;
}

function nativeCallbacks(): { lifecycle: Ptr; close: Ptr } {
  const n = loadNative();
  lifecycleCb ??= registerCallback(
    ((_conn: unknown, dom: unknown, event: number, detail: number, opaque: unknown) => {
      live.get(idOf(opaque))?.deliverLifecycle(dom as Ptr, event, detail);
      return 0;
    }) as never,
    n.lifecycleCbPtr,
  );
  closeCb ??= registerCallback(
    ((_conn: unknown, reason: number, opaque: unknown) => {
      live.get(idOf(opaque))?.deliverClose(reason);
    }) as never,
    n.closeCbPtr,
  );
  return { lifecycle: lifecycleCb, close: closeCb };
}

export class LibvirtConnection {
  private readonly queue = new CallQueue();
  private readonly domains = new Map<Domain, Ptr>();
  private readonly lifecycleListeners = new Set<LifecycleListener>();
  private readonly closeListeners = new Set<CloseListener>();
  private lifecycleCallbackId = -1;
  private lifecycleRegistration: Promise<void> | null = null;
  private closeRegistered = false;
  private lost: CloseReason | null = null;
  private closing: Promise<void> | null = null;
  private readonly owner: DomainOwner;

  private constructor(
    private ptr: Ptr,
    readonly uri: string,
    private readonly id: number,
    private readonly logger: Logger,
  ) {
    this.owner = {
      uri,
      invoke: (op, fn, args, failed) => this.invoke(op, fn, args, failed),
      release: (domain, p) => this.releaseDomain(domain, p),
    };
  }

  /** Opens `uri` (e.g. `test:///default`, `qemu+unix:///system?socket=/run/x/libvirt-sock`). */
  static async open(uri: string, opts: OpenOptions = {}): Promise<LibvirtConnection> {
    const n = loadNative();
    installErrorHandler();
    eventLoop.ensureRegistered(); // before the first virConnectOpen, or events never arrive
    const logger = opts.logger ?? silentLogger;
    const ptr = await openQueue.run(async () => {
      const mark = errorMark();
      const p = await callAsync<Ptr | null>(n.virConnectOpen, uri);
      if (!p) throw toLibvirtError(unboundErrorSince(mark), `virConnectOpen(${uri})`);
      return p;
    });
    const conn = new LibvirtConnection(ptr, uri, nextId++, logger);
    live.set(conn.id, conn);
    eventLoop.acquire(logger);
    try {
      await conn.setup(opts.keepAlive ?? { intervalSec: 5, count: 3 });
    } catch (err) {
      await conn.close();
      throw err;
    }
    logger.debug({ uri }, 'libvirt connection open');
    return conn;
  }

  /** True once close() was called. */
  get closed(): boolean {
    return this.closing !== null;
  }

  /** Why libvirt closed the connection under us (daemon died, keepalive), or null. */
  get lostReason(): CloseReason | null {
    return this.lost;
  }

  /** Domains handed out and not yet freed (for leak checks). */
  get openDomainHandles(): number {
    return this.domains.size;
  }

  defineXML(xml: string): Promise<Domain> {
    return this.domainCall('virDomainDefineXML', loadNative().virDomainDefineXML, [xml]);
  }

  /** Starts a transient domain (gone from libvirt once it stops). flags: VIR_DOMAIN_START_*. */
  createXML(xml: string, flags = 0): Promise<Domain> {
    return this.domainCall('virDomainCreateXML', loadNative().virDomainCreateXML, [xml, flags]);
  }

  lookupByName(name: string): Promise<Domain> {
    return this.domainCall(`virDomainLookupByName(${name})`, loadNative().virDomainLookupByName, [name]);
  }

  lookupByUUID(uuid: string): Promise<Domain> {
    return this.domainCall(`virDomainLookupByUUIDString(${uuid})`, loadNative().virDomainLookupByUUIDString, [uuid]);
  }

  /** Every domain, active or not; each returned Domain is owned by the caller. */
  async listDomains(): Promise<Domain[]> {
    const n = loadNative();
    const out: [Ptr | null] = [null];
    const count = await this.invoke<number>('virConnectListAllDomains', n.virConnectListAllDomains, [this.ptr, out, 0], (r) => r < 0);
    const array = out[0];
    if (!array) return [];
    try {
      return decodePointerArray(array, count).map((p) => this.adopt(p));
    } finally {
      freeNative(array);
    }
  }

  /** libvirt's library version on the daemon side, e.g. `9.0.0`. Also a cheap liveness probe. */
  async libVersion(): Promise<string> {
    const out = [0];
    await this.invoke<number>('virConnectGetLibVersion', loadNative().virConnectGetLibVersion, [this.ptr, out], (r) => r < 0);
    const v = out[0] ?? 0;
    return `${Math.floor(v / 1_000_000)}.${Math.floor(v / 1000) % 1000}.${v % 1000}`;
  }

  /**
   * Subscribes to domain lifecycle events of this connection; resolves once libvirt delivers
   * them. The returned function unsubscribes. Listeners run on the JS thread.
   */
  async onLifecycle(listener: LifecycleListener): Promise<() => void> {
    this.lifecycleListeners.add(listener);
    try {
      this.lifecycleRegistration ??= this.registerLifecycle();
      await this.lifecycleRegistration;
    } catch (err) {
      this.lifecycleListeners.delete(listener);
      this.lifecycleRegistration = null;
      throw err;
    }
    return () => void this.lifecycleListeners.delete(listener);
  }

  /** Called once when libvirt drops the connection (daemon died, keepalive timeout). */
  onClose(listener: CloseListener): () => void {
    this.closeListeners.add(listener);
    return () => void this.closeListeners.delete(listener);
  }

  /** Frees held domains, deregisters callbacks and closes. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  /** @internal called by the native lifecycle callback (JS thread, libvirt's loop waits). */
  deliverLifecycle(dom: Ptr, event: number, detail: number): void {
    const n = loadNative();
    const name = n.virDomainGetName(dom) as string;
    const buf = Buffer.alloc(37);
    n.virDomainGetUUIDString(dom, buf);
    const ev = mapLifecycleEvent(name, buf.toString('latin1', 0, 36), event, detail);
    this.logger.debug({ uri: this.uri, domain: name, event: ev.event, detail: ev.detail }, 'libvirt lifecycle event');
    // Let libvirt's loop continue before listeners run.
    setImmediate(() => {
      for (const l of this.lifecycleListeners) {
        try {
          l(ev);
        } catch (err) {
          this.logger.error(errFields(err), 'lifecycle listener threw');
        }
      }
    });
  }

  /** @internal called by the native close callback. */
  deliverClose(reason: number): void {
    const why = closeReasons[reason] ?? 'error';
    if (this.closing && why === 'client') return;
    this.lost = why;
    this.logger.warn({ uri: this.uri, reason: why }, 'libvirt connection lost');
    setImmediate(() => {
      for (const l of this.closeListeners) l(why);
    });
  }

  private async setup(keepAlive: OpenOptions['keepAlive']): Promise<void> {
    const n = loadNative();
    const cbs = nativeCallbacks();
    // Both are client-side only; drivers without them (test://) answer "not supported".
    await this.queue.run(async () => {
      const rc = await callAsync<number>(n.virConnectRegisterCloseCallback, this.ptr, cbs.close, BigInt(this.id), null);
      this.closeRegistered = rc === 0;
      if (keepAlive) {
        const ka = await callAsync<number>(n.virConnectSetKeepAlive, this.ptr, keepAlive.intervalSec, keepAlive.count);
        if (ka !== 0) this.logger.debug({ uri: this.uri, rc: ka }, 'keepalive not available on this connection');
      }
    });
  }

  private registerLifecycle(): Promise<void> {
    const n = loadNative();
    const cb = nativeCallbacks().lifecycle;
    return this.invoke<number>(
      'virConnectDomainEventRegisterAny(LIFECYCLE)',
      n.virConnectDomainEventRegisterAny,
      [this.ptr, null, VIR_DOMAIN_EVENT_ID_LIFECYCLE, cb, BigInt(this.id), null],
      (r) => r < 0,
    ).then((id) => {
      this.lifecycleCallbackId = id;
    });
  }

  private invoke<T>(operation: string, fn: NativeFn, args: unknown[], failed: (r: T) => boolean): Promise<T> {
    // Calls queued before close() still run; calls after it are refused.
    if (this.closing) return Promise.reject(connectionLostError(operation, this.uri, 'closed by the caller'));
    return this.queue.run(() => this.invokeNow(operation, fn, args, failed));
  }

  private async invokeNow<T>(operation: string, fn: NativeFn, args: unknown[], failed: (r: T) => boolean): Promise<T> {
    if (this.lost) throw connectionLostError(operation, this.uri, `libvirt closed it: ${this.lost}`);
    resetConnError(this.ptr);
    const result = await callAsync<T>(fn, ...args);
    if (failed(result)) throw toLibvirtError(readConnError(this.ptr), operation);
    return result;
  }

  private async domainCall(operation: string, fn: NativeFn, args: unknown[]): Promise<Domain> {
    const p = await this.invoke<Ptr | null>(operation, fn, [this.ptr, ...args], (r) => r === null);
    return this.adopt(p as Ptr);
  }

  private adopt(p: Ptr): Domain {
    const d = new Domain(this.owner, p);
    this.domains.set(d, p);
    return d;
  }

  private releaseDomain(domain: Domain, p: Ptr): Promise<void> {
    if (!this.domains.delete(domain)) return Promise.resolve();
    // Queued behind calls still using the pointer; virDomainFree is a local unref.
    return this.queue.run(async () => {
      loadNative().virDomainFree(p);
    });
  }

  private async doClose(): Promise<void> {
    const n = loadNative();
    await this.queue.drain();
    for (const [d, p] of this.domains) {
      this.domains.delete(d);
      n.virDomainFree(p);
      void d.free(); // marks the handle freed; release() finds nothing left to do
    }
    if (this.lifecycleRegistration) await this.lifecycleRegistration.catch(() => undefined);
    try {
      if (this.lifecycleCallbackId >= 0 && !this.lost) {
        await callAsync<number>(n.virConnectDomainEventDeregisterAny, this.ptr, this.lifecycleCallbackId);
      }
      if (this.closeRegistered) {
        await callAsync<number>(n.virConnectUnregisterCloseCallback, this.ptr, nativeCallbacks().close);
      }
      await callAsync<number>(n.virConnectClose, this.ptr);
    } finally {
      this.lifecycleListeners.clear();
      this.closeListeners.clear();
      live.delete(this.id);
      eventLoop.release();
      this.logger.debug({ uri: this.uri }, 'libvirt connection closed');
    }
  }
}
