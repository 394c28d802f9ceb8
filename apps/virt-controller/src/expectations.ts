/**
 * KubeVirt/ReplicaSet-style expectations: after creating or deleting an object
 * the controller waits until its informer has seen that change before deciding
 * again for the same key, so a stale cache never makes it create twice. An
 * entry older than `ttlMs` is treated as satisfied (a lost event must not wedge a key).
 */
export class Expectations {
  private readonly entries = new Map<string, { adds: Set<string>; deletes: Set<string>; at: number }>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  expectCreate(key: string, name: string): void {
    this.entry(key).adds.add(name);
  }

  expectDelete(key: string, name: string): void {
    this.entry(key).deletes.add(name);
  }

  observeCreate(key: string, name: string): void {
    this.entries.get(key)?.adds.delete(name);
    this.prune(key);
  }

  observeDelete(key: string, name: string): void {
    this.entries.get(key)?.deletes.delete(name);
    this.prune(key);
  }

  satisfied(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return true;
    if (this.now() - e.at > this.ttlMs) {
      this.entries.delete(key);
      return true;
    }
    return e.adds.size === 0 && e.deletes.size === 0;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  private entry(key: string) {
    let e = this.entries.get(key);
    if (!e) {
      e = { adds: new Set(), deletes: new Set(), at: this.now() };
      this.entries.set(key, e);
    }
    e.at = this.now();
    return e;
  }

  private prune(key: string): void {
    const e = this.entries.get(key);
    if (e && e.adds.size === 0 && e.deletes.size === 0) this.entries.delete(key);
  }
}
