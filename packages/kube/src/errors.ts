/** metav1.Status as the API server returns it on errors. */
export interface ApiStatus {
  kind?: 'Status';
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: { type?: string; message?: string; field?: string }[] };
}

/** A non-2xx answer from the API server, with the verb and path that got it. */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  readonly statusCode: number;
  readonly reason: string;
  readonly status: ApiStatus | undefined;
  readonly method: string;
  readonly path: string;

  constructor(opts: { method: string; path: string; statusCode: number; status?: ApiStatus | undefined; body?: string }) {
    const why = opts.status?.message ?? opts.body?.slice(0, 300) ?? '';
    super(`${opts.method} ${opts.path}: HTTP ${opts.statusCode}${opts.status?.reason ? ` ${opts.status.reason}` : ''}${why ? `: ${why}` : ''}`);
    this.statusCode = opts.statusCode;
    this.reason = opts.status?.reason ?? '';
    this.status = opts.status;
    this.method = opts.method;
    this.path = opts.path;
  }
}

/** The connection itself failed (refused, TLS, reset): no HTTP answer. */
export class KubeTransportError extends Error {
  override name = 'KubeTransportError';
  constructor(method: string, path: string, cause: unknown) {
    super(`${method} ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export class KubeConfigError extends Error {
  override name = 'KubeConfigError';
}

function code(err: unknown): number | undefined {
  return err instanceof KubeApiError ? err.statusCode : undefined;
}

export const isNotFound = (err: unknown): boolean => code(err) === 404;
export const isConflict = (err: unknown): boolean => code(err) === 409 && (err as KubeApiError).reason !== 'AlreadyExists';
export const isAlreadyExists = (err: unknown): boolean => code(err) === 409 && (err as KubeApiError).reason === 'AlreadyExists';
export const isForbidden = (err: unknown): boolean => code(err) === 403;
export const isGone = (err: unknown): boolean => code(err) === 410;
export const isInvalid = (err: unknown): boolean => code(err) === 422;
