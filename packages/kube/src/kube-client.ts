import { KubeApiError, KubeTransportError, type ApiStatus } from './errors.js';
import type { KubeConfigLike } from './kube-config.js';
import { Transport, readBody } from './transport.js';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute API path, e.g. `/api/v1/namespaces/default/pods`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

/**
 * One watch event as the API server streams it. A BOOKMARK carries only apiVersion, kind and
 * metadata.resourceVersion; an ERROR carries a metav1.Status, not an object of the watched kind.
 */
export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  | { type: 'BOOKMARK'; object: { apiVersion?: string; kind?: string; metadata?: { resourceVersion?: string } } }
  | { type: 'ERROR'; object: ApiStatus };

export interface KubeClientOptions {
  /** Our loadKubeConfig() result or a client-node KubeConfig. */
  kubeConfig: KubeConfigLike;
  /** Called before every request (counting, tracing). */
  onRequest?: (method: string, path: string) => void;
  /** Client-side timeout for non-watch requests. Default 30 s. */
  timeoutMs?: number;
}

/**
 * A small JSON client for any API path (core, CRDs, subresources) over one
 * keep-alive connection pool.
 */
export class KubeClient {
  readonly kubeConfig: KubeConfigLike;
  private readonly transport: Transport;
  private readonly onRequest: ((method: string, path: string) => void) | undefined;
  private readonly timeoutMs: number;

  constructor(opts: KubeClientOptions) {
    this.kubeConfig = opts.kubeConfig;
    this.transport = new Transport(opts.kubeConfig);
    this.onRequest = opts.onRequest;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  async request<T>(opts: RequestOptions): Promise<T> {
    const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), ...(opts.signal ? [opts.signal] : [])]);
    let status: number;
    let text: string;
    this.onRequest?.(opts.method, opts.path);
    try {
      const res = await this.transport.send({
        method: opts.method,
        path: opts.path,
        query: toQuery(opts.query),
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        ...(opts.contentType ? { contentType: opts.contentType } : {}),
        signal,
      });
      status = res.statusCode ?? 0;
      text = await readBody(res);
    } catch (err) {
      throw new KubeTransportError(opts.method, opts.path, err);
    }
    if (status < 200 || status > 299) {
      throw new KubeApiError({ method: opts.method, path: opts.path, statusCode: status, status: parseStatus(text), body: text });
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.request<T>({ method: 'GET', path, ...(query ? { query } : {}) });
  }

  create<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>({ method: 'POST', path, body });
  }

  replace<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>({ method: 'PUT', path, body });
  }

  patch<T>(path: string, body: unknown, type: PatchType = 'merge', query?: RequestOptions['query']): Promise<T> {
    return this.request<T>({ method: 'PATCH', path, body, contentType: PATCH_CONTENT_TYPES[type], ...(query ? { query } : {}) });
  }

  delete<T = unknown>(
    path: string,
    body?: {
      propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
      gracePeriodSeconds?: number;
      preconditions?: { uid?: string; resourceVersion?: string };
    },
  ): Promise<T> {
    return this.request<T>({ method: 'DELETE', path, ...(body ? { body: { kind: 'DeleteOptions', apiVersion: 'v1', ...body } } : {}) });
  }

  /**
   * Streams a watch until the server closes it (resolves) or it fails (rejects with
   * KubeApiError / KubeTransportError). Aborting `signal` ends it (resolves).
   */
  async watch<T>(path: string, query: RequestOptions['query'], onEvent: (ev: WatchEvent<T>) => void, signal: AbortSignal): Promise<void> {
    this.onRequest?.('WATCH', path);
    let res;
    try {
      res = await this.transport.send({ method: 'GET', path, query: toQuery({ ...query, watch: true }), signal });
    } catch (err) {
      if (signal.aborted) return;
      throw new KubeTransportError('WATCH', path, err);
    }
    if (res.statusCode !== 200) {
      const text = await readBody(res).catch(() => '');
      throw new KubeApiError({ method: 'WATCH', path, statusCode: res.statusCode ?? 0, status: parseStatus(text), body: text });
    }
    let buf = '';
    try {
      res.setEncoding('utf8');
      for await (const chunk of res) {
        buf += chunk as string;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line !== '') onEvent(JSON.parse(line) as WatchEvent<T>);
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      throw new KubeTransportError('WATCH', path, err);
    }
    // A connection cut mid-stream can end the body without an error; only a clean close resolves.
    if (!res.complete && !signal.aborted) throw new KubeTransportError('WATCH', path, new Error('watch stream ended prematurely'));
  }

  /** Drops pooled connections (tests, shutdown). */
  async close(): Promise<void> {
    this.transport.close();
  }
}

function toQuery(q: RequestOptions['query']): URLSearchParams | undefined {
  if (!q) return undefined;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  return p;
}

function parseStatus(text: string): ApiStatus | undefined {
  try {
    const obj = JSON.parse(text) as ApiStatus;
    return obj && typeof obj === 'object' && obj.kind === 'Status' ? obj : undefined;
  } catch {
    return undefined;
  }
}

export interface ResourcePath {
  /** '' or undefined for the core group. */
  group?: string;
  version: string;
  /** Plural, e.g. `virtualmachineinstances`. */
  resource: string;
  namespace?: string | undefined;
  name?: string | undefined;
  subresource?: string;
}

/** `/api/v1/namespaces/ns/pods/name/status` and the group form `/apis/g/v/...`. */
export function resourcePath(p: ResourcePath): string {
  const base = p.group ? `/apis/${p.group}/${p.version}` : `/api/${p.version}`;
  const ns = p.namespace ? `/namespaces/${encodeURIComponent(p.namespace)}` : '';
  const name = p.name ? `/${encodeURIComponent(p.name)}` : '';
  const sub = p.name && p.subresource ? `/${p.subresource}` : '';
  return `${base}${ns}/${p.resource}${name}${sub}`;
}
