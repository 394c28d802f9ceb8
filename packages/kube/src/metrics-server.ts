import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Registry } from 'prom-client';

/** A GET endpoint that answers 200 with `ok` while `check()` holds, else 503 with `failing`. */
export interface HealthProbe {
  check: () => boolean;
  ok: string;
  failing: string;
}

export interface MetricsServerOptions {
  registry: Registry;
  /** 0 picks a free port (see MetricsServer.port). */
  port: number;
  address: string;
  /** HTTPS with this pair (read once at start); HTTP without. */
  tls?: { certFile: string; keyFile: string };
  /** /readyz answers 200 once this is true (e.g. informers synced). */
  ready: () => boolean;
  /** /readyz body while not ready. Default `not ready`. */
  notReadyMessage?: string;
  /** More probes by path, e.g. `/leader` for the replica holding the lease. */
  probes?: Readonly<Record<string, HealthProbe>>;
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A daemon's side door, as controller-runtime's manager serves it: Prometheus text on /metrics,
 * liveness on /healthz (200 while the process answers), readiness on /readyz, plus any probes.
 */
export async function startMetricsServer(o: MetricsServerOptions): Promise<MetricsServer> {
  const probes: Record<string, HealthProbe> = {
    '/healthz': { check: () => true, ok: 'ok', failing: '' },
    '/readyz': { check: o.ready, ok: 'ok', failing: o.notReadyMessage ?? 'not ready' },
    ...o.probes,
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const probe = probes[path];
    if (path === '/metrics') {
      o.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': o.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else if (probe) {
      const ok = probe.check();
      res.writeHead(ok ? 200 : 503).end(ok ? probe.ok : probe.failing);
    } else res.writeHead(404).end('not found');
  };
  const server = o.tls ? createHttpsServer({ cert: readFileSync(o.tls.certFile), key: readFileSync(o.tls.keyFile) }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.address, () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : o.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
