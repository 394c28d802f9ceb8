import type { KubeObject } from './object.js';

export type StoreChange<T> = { type: 'add'; obj: T } | { type: 'update'; obj: T; old: T } | { type: 'delete'; obj: T };

export function objectKey(namespace: string | undefined, name: string | undefined): string {
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}

/** `namespace/name` (or `name` for cluster-scoped objects), client-go's MetaNamespaceKey. */
export function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata?.namespace, obj.metadata?.name);
}

/** What a reconciler is asked to look at: controller-runtime's Request (NamespacedName). */
export interface ObjectRef {
  /** Empty for cluster-scoped objects. */
  namespace: string;
  name: string;
}

/** The inverse of objectKey: client-go's SplitMetaNamespaceKey. */
export function parseKey(key: string): ObjectRef {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/**
 * The informer's cache: pure bookkeeping that turns lists and watch events into
 * add/update/delete changes. Same resourceVersion -> no change (relists do not
 * re-fire unchanged objects).
 */
export class ObjectStore<T extends KubeObject> {
  private readonly items = new Map<string, T>();

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  get size(): number {
    return this.items.size;
  }

  /** Replaces the whole content with a fresh list; returns what changed. */
  replace(objs: readonly T[]): StoreChange<T>[] {
    const changes: StoreChange<T>[] = [];
    const seen = new Set<string>();
    for (const obj of objs) {
      const key = keyOf(obj);
      seen.add(key);
      const change = this.upsert(key, obj);
      if (change) changes.push(change);
    }
    for (const [key, old] of this.items) {
      if (!seen.has(key)) {
        this.items.delete(key);
        changes.push({ type: 'delete', obj: old });
      }
    }
    return changes;
  }

  /** ADDED / MODIFIED from a watch. */
  apply(obj: T): StoreChange<T> | undefined {
    return this.upsert(keyOf(obj), obj);
  }

  /** DELETED from a watch: the final state of the object. */
  remove(obj: T): StoreChange<T> | undefined {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (!old) return undefined;
    this.items.delete(key);
    return { type: 'delete', obj };
  }

  private upsert(key: string, obj: T): StoreChange<T> | undefined {
    const old = this.items.get(key);
    this.items.set(key, obj);
    if (!old) return { type: 'add', obj };
    if (old.metadata?.resourceVersion !== undefined && old.metadata.resourceVersion === obj.metadata?.resourceVersion) return undefined;
    return { type: 'update', obj, old };
  }
}
