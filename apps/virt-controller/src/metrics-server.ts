import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Registry } from 'prom-client';

export interface MetricsServerOptions {
  registry: Registry;
  port: number;
  address: string;
  tls?: { certFile: string; keyFile: string };
  /** /readyz answers 200 once this is true (informers synced). */
  ready: () => boolean;
  /** /leader answers 200 while this replica leads (handy for probes and tests). */
  leading: () => boolean;
}

/** /metrics, /healthz, /readyz, /leader over HTTP, or HTTPS when a cert is given. */
export async function startMetricsServer(o: MetricsServerOptions): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      o.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': o.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else if (path === '/healthz') res.writeHead(200).end('ok');
    else if (path === '/readyz') res.writeHead(o.ready() ? 200 : 503).end(o.ready() ? 'ok' : 'informers not synced');
    else if (path === '/leader') res.writeHead(o.leading() ? 200 : 503).end(o.leading() ? 'leader' : 'standby');
    else res.writeHead(404).end('not found');
  };
  const server = o.tls ? createHttpsServer({ cert: readFileSync(o.tls.certFile), key: readFileSync(o.tls.keyFile) }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.address, () => resolve());
  });
  const addr = server.address();
  return {
    server,
    port: typeof addr === 'object' && addr ? addr.port : o.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
