import * as https from 'node:https';
import * as http from 'node:http';

export interface ProbeTls {
  ca?: string;
  cert?: string;
  key?: string;
  /** Components that serve a self-signed certificate (scheduler, controller-manager). */
  insecure?: boolean;
}

/** GET url; resolves with status and body, rejects on connection errors. */
export function httpGet(url: string, tls: ProbeTls = {}, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.get(
      u,
      { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecure, timeout: timeoutMs, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Stops waiting early (e.g. the process exited); its message becomes the failure reason. */
  abort?: () => string | undefined;
}

/**
 * Polls `check` until it returns true. Rejects with the abort reason, or with the
 * timeout and the last observation so the caller's error says what was seen.
 */
export async function waitFor(check: () => Promise<boolean | string>, opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'not checked yet';
  for (;;) {
    const aborted = opts.abort?.();
    if (aborted) throw new Error(aborted);
    try {
      const r = await check();
      if (r === true) return;
      last = r === false ? 'not ready' : r;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`not ready after ${opts.timeoutMs} ms (last: ${last})`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

/**
 * Polls `fn` until it returns a value (not undefined or false) and returns it; the shared wait of
 * the integration suites. Thrown errors count as "not yet" and the last one is named on timeout.
 */
export async function eventually<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  opts: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
  }
}
