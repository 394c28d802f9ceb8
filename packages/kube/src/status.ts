import type { KubeObject } from './object.js';
import { isConflict } from './errors.js';
import type { KubeClient, PatchType } from './kube-client.js';

export class StatusConflictError extends Error {
  override name = 'StatusConflictError';
}

export interface UpdateStatusOptions<T extends KubeObject & { status?: unknown }> {
  client: KubeClient;
  /** The object's path (without `/status`). */
  path: string;
  /** New status for the current object, or undefined when it is already right. */
  mutate: (current: T) => T['status'] | undefined;
  maxAttempts?: number;
}

/** GET + PUT `/status` (resourceVersion-checked), re-reading and re-mutating on 409 Conflict. */
export async function updateStatus<T extends KubeObject & { status?: unknown }>(opts: UpdateStatusOptions<T>): Promise<T> {
  const attempts = opts.maxAttempts ?? 5;
  for (let i = 1; ; i++) {
    const current = await opts.client.get<T>(opts.path);
    const status = opts.mutate(current);
    if (status === undefined) return current;
    try {
      return await opts.client.replace<T>(`${opts.path}/status`, { ...current, status });
    } catch (err) {
      if (!isConflict(err)) throw err;
      if (i >= attempts) throw new StatusConflictError(`${opts.path}/status: still conflicting after ${attempts} attempts`);
    }
  }
}

export interface PatchStatusOptions<T extends KubeObject> {
  client: KubeClient;
  path: string;
  /** The object as the caller saw it (e.g. from an informer); saves a GET on the first attempt. */
  current?: T;
  /**
   * The merge patch for `status` given the current object, or undefined for no change.
   * The helper adds `metadata.resourceVersion` so a concurrent writer (virt-handler)
   * causes a 409 instead of being overwritten; on 409 it re-reads and calls build again.
   */
  build: (current: T) => Record<string, unknown> | undefined;
  maxAttempts?: number;
}

/** Merge-PATCH `/status` with a resourceVersion precondition, rebuilt from a fresh read on conflict. */
export async function patchStatus<T extends KubeObject>(opts: PatchStatusOptions<T>): Promise<T | undefined> {
  const attempts = opts.maxAttempts ?? 5;
  let current = opts.current ?? (await opts.client.get<T>(opts.path));
  for (let i = 1; ; i++) {
    const status = opts.build(current);
    if (status === undefined) return undefined;
    const patch = { metadata: { resourceVersion: current.metadata?.resourceVersion }, status };
    try {
      return await opts.client.patch<T>(`${opts.path}/status`, patch, 'merge' satisfies PatchType);
    } catch (err) {
      if (!isConflict(err)) throw err;
      if (i >= attempts) throw new StatusConflictError(`${opts.path}/status: still conflicting after ${attempts} attempts`);
      current = await opts.client.get<T>(opts.path);
    }
  }
}
