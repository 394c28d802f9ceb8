import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function get(path: string): Promise<{ status: number; body: string; type: string | null }> {
  const r = await fetch(`http://127.0.0.1:${server!.port}${path}`);
  return { status: r.status, body: await r.text(), type: r.headers.get('content-type') };
}

describe('startMetricsServer', () => {
  it('serves the registry, liveness, readiness that follows ready(), extra probes, and 404 elsewhere', async () => {
    const registry = new Registry();
    new Counter({ name: 'test_things_total', help: 'things', registers: [registry] }).inc(3);
    let ready = false;
    let leading = false;
    server = await startMetricsServer({
      registry,
      port: 0,
      address: '127.0.0.1',
      ready: () => ready,
      notReadyMessage: 'informers not synced',
      probes: { '/leader': { check: () => leading, ok: 'leader', failing: 'standby' } },
    });
    expect(server.port).toBeGreaterThan(0);
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toBe(registry.contentType);
    expect(metrics.body).toContain('test_things_total 3');
    expect(await get('/healthz')).toMatchObject({ status: 200, body: 'ok' });
    expect(await get('/readyz')).toMatchObject({ status: 503, body: 'informers not synced' });
    expect(await get('/leader')).toMatchObject({ status: 503, body: 'standby' });
    ready = true;
    leading = true;
    expect(await get('/readyz?verbose')).toMatchObject({ status: 200, body: 'ok' });
    expect(await get('/leader')).toMatchObject({ status: 200, body: 'leader' });
    expect(await get('/other')).toMatchObject({ status: 404, body: 'not found' });
  });

  it('says "not ready" by default and fails to start on a taken port', async () => {
    server = await startMetricsServer({ registry: new Registry(), port: 0, address: '127.0.0.1', ready: () => false });
    expect(await get('/readyz')).toMatchObject({ status: 503, body: 'not ready' });
    await expect(startMetricsServer({ registry: new Registry(), port: server.port, address: '127.0.0.1', ready: () => true })).rejects.toThrow(/EADDRINUSE/);
  });
});
