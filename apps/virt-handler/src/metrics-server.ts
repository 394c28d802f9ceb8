import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** /metrics, /healthz, /readyz (200 once the VMI informer synced) over HTTP. */
export async function startMetricsServer(o: { registry: Registry; port: number; address: string; ready: () => boolean }): Promise<MetricsServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      o.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': o.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else if (path === '/healthz') res.writeHead(200).end('ok');
    else if (path === '/readyz') res.writeHead(o.ready() ? 200 : 503).end(o.ready() ? 'ok' : 'not synced');
    else res.writeHead(404).end('not found');
  });
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
