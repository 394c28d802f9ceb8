// Our own last status write per key. A reconcile that runs before the informer has delivered that
// write (a pod event right after it) would build its patch on the stale cached object: PATCH with
// the old resourceVersion -> 409 -> GET -> a no-op. Building on what we wrote saves all three.
// Shared by virt-controller and virt-handler, the two writers of VMI status.

interface Versioned {
  metadata: { resourceVersion?: string };
}

export class OwnStatusWrites<T extends Versioned> {
  private readonly entries = new Map<string, { from: string; written: T }>();

  /** `from`: the cached object the write was planned on; `written`: what the API server returned. */
  record(key: string, from: T, written: T | undefined): void {
    const rv = from.metadata.resourceVersion;
    if (written && rv !== undefined) this.entries.set(key, { from: rv, written });
  }

  /** The newer of the cached object and our last write: ours only while the cache still holds the version we wrote over. */
  freshest(key: string, cached: T): T {
    const e = this.entries.get(key);
    if (!e) return cached;
    if (cached.metadata.resourceVersion === e.from) return e.written;
    this.entries.delete(key); // the cache has our write, or a later one (someone else's)
    return cached;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
