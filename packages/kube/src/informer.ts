import type { KubeList, KubeObject } from './object.js';
import { Backoff, sleep, type BackoffOptions } from './backoff.js';
import { KubeApiError, isGone } from './errors.js';
import { KubeClient, type WatchEvent } from './kube-client.js';
import type { KubeConfigLike } from './kube-config.js';
import { errFields, type Logger } from '@qvirt/log';
import { ObjectStore, objectKey, type StoreChange } from './object-store.js';

export interface InformerOptions {
  /** Our loadKubeConfig() result or a client-node KubeConfig. */
  kubeConfig: KubeConfigLike;
  /** Collection path, e.g. `/apis/kubevirt.io/v1/virtualmachineinstances` or `/api/v1/namespaces/kubevirt/configmaps`. */
  apiPath: string;
  labelSelector?: string;
  fieldSelector?: string;
  logger: Logger;
  /** Delay between restarts after errors. Default 200 ms doubling to 30 s. */
  resyncBackoff?: BackoffOptions;
  /** Share a connection pool with other informers/writers. */
  client?: KubeClient;
  /** Server-side watch timeout; the watch is reopened from the last resourceVersion. Default 300 s. */
  watchTimeoutSeconds?: number;
  /** Page size of the list. Default 500. */
  pageSize?: number;
}

type Handlers<T> = {
  add: ((obj: T) => void)[];
  update: ((obj: T, old: T) => void)[];
  delete: ((obj: T) => void)[];
  error: ((err: Error) => void)[];
};

export interface InformerStats {
  lists: number;
  watches: number;
  errors: number;
}

export class InformerStoppedError extends Error {
  override name = 'InformerStoppedError';
}

/**
 * List + watch with a local cache that survives any failure: a watch that ends
 * cleanly is reopened from the last resourceVersion; 410 Gone relists at once;
 * any other error (HTTP, transport, ERROR event, a failed list) is reported on
 * 'error', then the informer waits with backoff and relists, firing add/update/
 * delete for whatever changed meanwhile. (client-node 2.x's ListWatch stops for
 * good on such errors.)
 */
export class ResilientInformer<T extends KubeObject> {
  private readonly opts: InformerOptions;
  private readonly client: KubeClient;
  private readonly ownsClient: boolean;
  private readonly store = new ObjectStore<T>();
  private readonly handlers: Handlers<T> = { add: [], update: [], delete: [], error: [] };
  private readonly backoff: Backoff;
  private readonly stats: InformerStats = { lists: 0, watches: 0, errors: 0 };
  private resourceVersion = '';
  private synced = false;
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(opts: InformerOptions) {
    this.opts = opts;
    this.ownsClient = opts.client === undefined;
    this.client = opts.client ?? new KubeClient({ kubeConfig: opts.kubeConfig, timeoutMs: 60_000 });
    this.backoff = new Backoff(opts.resyncBackoff);
  }

  on(event: 'add' | 'delete', handler: (obj: T) => void): this;
  on(event: 'update', handler: (obj: T, old: T) => void): this;
  on(event: 'error', handler: (err: Error) => void): this;
  on(event: keyof Handlers<T>, handler: (...args: never[]) => void): this {
    (this.handlers[event] as unknown[]).push(handler);
    return this;
  }

  /** Resolves after the first successful list (retrying failures with backoff); rejects if stopped first. */
  start(): Promise<void> {
    if (this.loop) throw new Error(`informer ${this.opts.apiPath} already started`);
    const abort = new AbortController();
    this.abort = abort;
    return new Promise<void>((resolve, reject) => {
      this.loop = this.run(abort.signal, resolve).then(() => {
        if (!this.synced) reject(new InformerStoppedError(`informer ${this.opts.apiPath} stopped before its first list`));
      });
    });
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
    if (this.ownsClient) await this.client.close();
  }

  hasSynced(): boolean {
    return this.synced;
  }

  list(): T[] {
    return this.store.list();
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(objectKey(namespace, name));
  }

  getStats(): Readonly<InformerStats> {
    return { ...this.stats };
  }

  private async run(signal: AbortSignal, onFirstSync: () => void): Promise<void> {
    while (!signal.aborted) {
      try {
        if (this.resourceVersion === '') {
          await this.relist(signal);
          if (signal.aborted) return;
          if (!this.synced) {
            this.synced = true;
            onFirstSync();
          }
        }
        const started = Date.now();
        const events = await this.watchOnce(signal);
        // A watch that closes at once without events would spin: pace it like an error.
        if (events === 0 && Date.now() - started < 5_000) await sleep(this.backoff.next(), signal);
      } catch (err) {
        if (signal.aborted) return;
        this.resourceVersion = '';
        if (isGone(err)) continue; // expired resourceVersion: relist now, nothing is wrong
        this.stats.errors++;
        const delay = this.backoff.next();
        const error = err instanceof Error ? err : new Error(String(err));
        this.opts.logger.warn({ path: this.opts.apiPath, delayMs: delay, ...errFields(error) }, 'informer failed, relisting after backoff');
        this.emit('error', error);
        await sleep(delay, signal);
      }
    }
  }

  private async relist(signal: AbortSignal): Promise<void> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.client.request<KubeList<T>>({
        method: 'GET',
        path: this.opts.apiPath,
        query: { ...this.selectors(), limit: this.opts.pageSize ?? 500, continue: cont },
        signal,
      });
      items.push(...page.items);
      cont = page.metadata?.continue || undefined;
      rv = page.metadata?.resourceVersion ?? '';
    } while (cont);
    this.stats.lists++;
    for (const change of this.store.replace(items)) this.dispatch(change);
    this.resourceVersion = rv;
  }

  /** Returns how many events the watch delivered. */
  private async watchOnce(signal: AbortSignal): Promise<number> {
    const timeoutSeconds = this.opts.watchTimeoutSeconds ?? 300;
    // Watchdog for half-open connections: the server closes the watch after timeoutSeconds.
    const watchdog = new AbortController();
    const timer = setTimeout(() => watchdog.abort(), (timeoutSeconds + 30) * 1000);
    let failure: unknown;
    let events = 0;
    this.stats.watches++;
    try {
      await this.client.watch<T>(
        this.opts.apiPath,
        { ...this.selectors(), resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        (ev) => {
          if (failure !== undefined) return;
          failure = this.onEvent(ev);
          if (failure === undefined && events++ === 0) this.backoff.reset();
          if (failure !== undefined) watchdog.abort();
        },
        AbortSignal.any([signal, watchdog.signal]),
      );
    } finally {
      clearTimeout(timer);
    }
    if (failure !== undefined) throw failure;
    return events;
  }

  /** Applies one watch event; returns an error to end the watch with. */
  private onEvent(ev: WatchEvent<T>): unknown {
    if (ev.type === 'ERROR') {
      const status = ev.object;
      return new KubeApiError({ method: 'WATCH', path: this.opts.apiPath, statusCode: status.code ?? 500, status });
    }
    const rv = ev.object?.metadata?.resourceVersion;
    if (ev.type === 'ADDED' || ev.type === 'MODIFIED') {
      const change = this.store.apply(ev.object);
      if (change) this.dispatch(change);
    } else if (ev.type === 'DELETED') {
      const change = this.store.remove(ev.object);
      if (change) this.dispatch(change);
    }
    if (rv) this.resourceVersion = rv;
    return undefined;
  }

  private selectors(): Record<string, string | undefined> {
    return { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector };
  }

  private dispatch(change: StoreChange<T>): void {
    if (change.type === 'update') this.emit('update', change.obj, change.old);
    else this.emit(change.type, change.obj);
  }

  private emit(event: keyof Handlers<T>, ...args: unknown[]): void {
    for (const h of this.handlers[event] as ((...a: unknown[]) => void)[]) {
      try {
        h(...args);
      } catch (err) {
        // A throwing handler must not kill the informer.
        this.opts.logger.error({ path: this.opts.apiPath, event, ...errFields(err) }, 'informer handler threw');
      }
    }
  }
}

export function createInformer<T extends KubeObject>(opts: InformerOptions): ResilientInformer<T> {
  return new ResilientInformer<T>(opts);
}
