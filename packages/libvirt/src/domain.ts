// A handle on one libvirt domain (virDomainPtr). Ownership: whoever receives a Domain owns
// one libvirt reference and releases it with free(); LibvirtConnection.close() frees any
// still held. After free() every method rejects with DomainFreedError.
import { mapDomainState, type DomainState } from './domain-state.js';
import { loadNative, type Ptr } from './native.js';

type NativeFn = ReturnType<typeof loadNative>['virDomainCreate'];

/** What a Domain needs from its connection (kept internal to the package). */
export interface DomainOwner {
  readonly uri: string;
  invoke<T>(operation: string, fn: NativeFn, args: unknown[], failed: (r: T) => boolean): Promise<T>;
  release(domain: Domain, ptr: Ptr): Promise<void>;
}

export class DomainFreedError extends Error {
  override readonly name = 'DomainFreedError';
}

export class Domain {
  readonly name: string;
  readonly uuid: string;
  private ptr: Ptr | null;

  /** Takes ownership of `ptr` (one libvirt reference). Reads name and UUID locally, no RPC. */
  constructor(
    private readonly owner: DomainOwner,
    ptr: Ptr,
  ) {
    const n = loadNative();
    this.ptr = ptr;
    this.name = n.virDomainGetName(ptr) as string;
    const buf = Buffer.alloc(37); // VIR_UUID_STRING_BUFLEN
    n.virDomainGetUUIDString(ptr, buf);
    this.uuid = buf.toString('latin1', 0, 36);
  }

  get freed(): boolean {
    return this.ptr === null;
  }

  /** Boots a defined (persistent) domain. */
  create(): Promise<void> {
    return this.intCall('virDomainCreate', loadNative().virDomainCreate);
  }

  /** Asks the guest to shut down (ACPI power button by default); returns before the guest is off. */
  shutdown(): Promise<void> {
    return this.intCall('virDomainShutdown', loadNative().virDomainShutdown);
  }

  /** Kills QEMU at once. */
  destroy(): Promise<void> {
    return this.intCall('virDomainDestroy', loadNative().virDomainDestroy);
  }

  /** Removes the persistent definition (a running domain becomes transient). */
  undefine(): Promise<void> {
    return this.intCall('virDomainUndefine', loadNative().virDomainUndefine);
  }

  async state(): Promise<DomainState> {
    const state = [0];
    const reason = [0];
    await this.call<number>('virDomainGetState', loadNative().virDomainGetState, [state, reason, 0], (r) => r < 0);
    return mapDomainState(state[0] ?? -1, reason[0] ?? -1);
  }

  /** The live XML (flags: VIR_DOMAIN_XML_INACTIVE = 2, ...). */
  getXMLDesc(flags = 0): Promise<string> {
    return this.call<string | null>('virDomainGetXMLDesc', loadNative().virDomainGetXMLDesc, [flags], (r) => r === null).then((xml) => xml ?? '');
  }

  /** Releases the libvirt reference (after any call still running on it). Idempotent. */
  async free(): Promise<void> {
    const ptr = this.ptr;
    if (ptr === null) return;
    this.ptr = null;
    await this.owner.release(this, ptr);
  }

  private intCall(op: string, fn: NativeFn): Promise<void> {
    return this.call<number>(op, fn, [], (r) => r < 0).then(() => undefined);
  }

  private call<T>(op: string, fn: NativeFn, rest: unknown[], failed: (r: T) => boolean): Promise<T> {
    const ptr = this.ptr;
    const operation = `${op}(${this.name})`;
    if (ptr === null) {
      return Promise.reject(new DomainFreedError(`${operation}: this Domain handle was freed; look the domain up again`));
    }
    return this.owner.invoke<T>(operation, fn, [ptr, ...rest], failed);
  }
}
