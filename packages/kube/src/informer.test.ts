import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import { createInformer } from './informer.js';
import { parseKubeConfig } from './kube-config.js';
import { silentLogger } from '@qvirt/log';

// A scripted stand-in for the API server's list/watch protocol, to drive the
// informer through failures on demand (the real API server is exercised in test/).
type Obj = { metadata: { name: string; namespace: string; resourceVersion: string } };
const obj = (name: string, rv: number): Obj => ({ metadata: { name, namespace: 'ns', resourceVersion: String(rv) } });

interface Script {
  items: Obj[];
  rv: number;
  watches: ((res: ServerResponse, req: IncomingMessage) => void)[];
  lists: number;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function fakeApi(script: Script): Promise<string> {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.searchParams.get('watch') !== 'true') {
      script.lists++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'List', metadata: { resourceVersion: String(script.rv) }, items: script.items }));
      return;
    }
    const next = script.watches.shift();
    if (!next) return void res.writeHead(200, { 'content-type': 'application/json' }); // hang open
    next(res, req);
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return `apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: "http://127.0.0.1:${port}"}}]\nusers: [{name: u, user: {token: t}}]\n`;
}

describe('ResilientInformer', () => {
  it('survives a watch HTTP 500 and a cut connection, relisting and firing what changed meanwhile', async () => {
    const script: Script = { items: [obj('a', 1), obj('b', 1)], rv: 1, lists: 0, watches: [] };
    script.watches.push(
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(JSON.stringify({ type: 'ADDED', object: obj('c', 2) }) + '\n');
        // Then the connection breaks mid-stream.
        setTimeout(() => res.socket?.destroy(), 20);
      },
      (res) =>
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ kind: 'Status', code: 500, message: 'etcd is sad', reason: 'InternalError' })),
    );
    const kc = parseKubeConfig(await fakeApi(script));
    const inf = createInformer<Obj>({ kubeConfig: kc, apiPath: '/apis/x/v1/things', logger: silentLogger, resyncBackoff: { initialMs: 20, maxMs: 50 } });
    const seen: string[] = [];
    const errors: string[] = [];
    inf.on('add', (o) => seen.push(`add ${o.metadata.name}`));
    inf.on('update', (o) => seen.push(`update ${o.metadata.name}`));
    inf.on('delete', (o) => seen.push(`delete ${o.metadata.name}`));
    inf.on('error', (e) => errors.push(e.message));
    await inf.start();
    expect(inf.hasSynced()).toBe(true);
    // While the watch is broken: b is deleted, a changes, c (seen over the watch) persists.
    script.items = [obj('a', 5), obj('c', 2)];
    script.rv = 5;
    await eventually('the deletion, two errors and three lists', () => seen.includes('delete b') && errors.length === 2 && inf.getStats().lists === 3, {
      timeoutMs: 5_000,
      intervalMs: 10,
    });
    expect(seen).toEqual(['add a', 'add b', 'add c', 'update a', 'delete b']);
    expect(errors.length).toBe(2);
    expect(errors[1]).toMatch(/HTTP 500 InternalError: etcd is sad/);
    expect(
      inf
        .list()
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['a', 'c']);
    expect(inf.get('ns', 'a')?.metadata.resourceVersion).toBe('5');
    expect(inf.getStats().lists).toBe(3);
    await inf.stop();
  });

  it('relists at once on 410 Gone without reporting an error', async () => {
    const script: Script = { items: [obj('a', 1)], rv: 1, lists: 0, watches: [] };
    script.watches.push((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } }) + '\n');
    });
    const kc = parseKubeConfig(await fakeApi(script));
    const inf = createInformer<Obj>({ kubeConfig: kc, apiPath: '/apis/x/v1/things', logger: silentLogger, resyncBackoff: { initialMs: 5_000 } });
    const errors: Error[] = [];
    inf.on('error', (e) => errors.push(e));
    await inf.start();
    await eventually('a second list', () => script.lists === 2, { timeoutMs: 2000, intervalMs: 10 });
    expect(errors).toEqual([]);
    await inf.stop();
  });

  it('keeps retrying the first list with backoff; start() resolves once it succeeds', async () => {
    let fail = 2;
    server = createServer((req, res) => {
      if (fail-- > 0)
        return void res
          .writeHead(403, { 'content-type': 'application/json' })
          .end(JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden', message: 'nope' }));
      if (req.url?.includes('watch=true')) return void res.writeHead(200);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ metadata: { resourceVersion: '1' }, items: [] }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const kc = parseKubeConfig(
      `current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: "http://127.0.0.1:${port}"}}]\nusers: [{name: u, user: {}}]\n`,
    );
    const inf = createInformer<Obj>({ kubeConfig: kc, apiPath: '/api/v1/things', logger: silentLogger, resyncBackoff: { initialMs: 10 } });
    const errors: string[] = [];
    inf.on('error', (e) => errors.push(e.message));
    await inf.start();
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/403 Forbidden: nope/);
    await inf.stop();
  });
});
