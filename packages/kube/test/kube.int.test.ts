import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@qvirt/log';
import { eventually } from '@qvirt/testing';
import { createInformer, EventRecorder, patchStatus, type KubeClient, type KubeConfigLike } from '../src/index.js';
import { LeaderElector, type Lease } from '../src/controller.js';
import { startTestApiServer, type TestApiServer } from './support/api-server.js';

let api: TestApiServer;
let cp: TestApiServer['cp'];
let admin: KubeClient;
let kc: KubeConfigLike;

beforeAll(async () => {
  api = await startTestApiServer(['kt']);
  ({ cp, admin, kubeConfig: kc } = api);
});
afterAll(async () => {
  await api?.stop();
});

/** A TCP proxy to the API server whose connections can be cut and refused on demand. */
async function cuttableProxy(target: URL): Promise<{ url: string; cut(): void; block(on: boolean): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let blocked = false;
  const server: Server = createServer((client) => {
    if (blocked) return void client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `https://127.0.0.1:${(server.address() as { port: number }).port}`,
    cut: () => sockets.forEach((s) => s.destroy()),
    block: (on) => (blocked = on),
    close: () =>
      new Promise<void>((r) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => r());
      }),
  };
}

describe('@qvirt/kube on a real API server', () => {
  it('an informer survives cut connections and catches up by relisting', async () => {
    const proxy = await cuttableProxy(new URL(cp.server));
    const viaProxy: KubeConfigLike = {
      getCurrentCluster: () => ({ ...kc.getCurrentCluster()!, server: proxy.url }),
      getCurrentUser: () => kc.getCurrentUser(),
    };
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: name } });
    await admin.create('/api/v1/namespaces/kt/configmaps', cm('a'));
    const inf = createInformer<{ metadata: { name: string; namespace: string } }>({
      kubeConfig: viaProxy,
      apiPath: '/api/v1/namespaces/kt/configmaps',
      logger: silentLogger,
      resyncBackoff: { initialMs: 100, maxMs: 400 },
    });
    const seen: string[] = [];
    const errors: Error[] = [];
    inf.on('add', (o) => seen.push(`add ${o.metadata.name}`));
    inf.on('delete', (o) => seen.push(`delete ${o.metadata.name}`));
    inf.on('error', (e) => errors.push(e));
    await inf.start();
    await admin.create('/api/v1/namespaces/kt/configmaps', cm('b'));
    await eventually('watch sees b', () => seen.includes('add b'), { timeoutMs: 20_000, intervalMs: 50 });

    // Outage: the connection breaks and reconnects are refused while things change.
    proxy.block(true);
    proxy.cut();
    await admin.delete('/api/v1/namespaces/kt/configmaps/a');
    await admin.create('/api/v1/namespaces/kt/configmaps', cm('c'));
    await new Promise((r) => setTimeout(r, 800));
    expect(seen).not.toContain('add c');
    proxy.block(false);
    await eventually('relist sees c and a gone', () => seen.includes('add c') && seen.includes('delete a'), { timeoutMs: 20_000, intervalMs: 50 });
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(
      inf
        .list()
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['b', 'c']);
    // And the watch works again afterwards.
    await admin.create('/api/v1/namespaces/kt/configmaps', cm('d'));
    await eventually('watch sees d', () => seen.includes('add d'), { timeoutMs: 20_000, intervalMs: 50 });
    await inf.stop();
    await proxy.close();
  });

  it('leader election: one leader at a time; a stopping leader releases the lease to the next', async () => {
    const started: string[] = [];
    const mk = (id: string) =>
      new LeaderElector({
        client: admin,
        namespace: 'kt',
        name: 'le-test',
        identity: id,
        logger: silentLogger,
        leaseDurationMs: 3000,
        renewDeadlineMs: 2000,
        retryPeriodMs: 300,
        onStartedLeading: () => void started.push(id),
      });
    const a = mk('a');
    const b = mk('b');
    const ac = new AbortController();
    const bc = new AbortController();
    const ra = a.run(ac.signal);
    await eventually('a leads', () => a.isLeader(), { timeoutMs: 20_000, intervalMs: 50 });
    const rb = b.run(bc.signal);
    await new Promise((r) => setTimeout(r, 1500));
    expect(b.isLeader()).toBe(false);
    const t = Date.now();
    ac.abort();
    expect(await ra).toBe('stopped');
    await eventually('b leads', () => b.isLeader(), { timeoutMs: 3000, intervalMs: 50 });
    expect(Date.now() - t).toBeLessThan(1500); // released, not expired
    expect(started).toEqual(['a', 'b']);
    const lease = await admin.get<Lease>('/apis/coordination.k8s.io/v1/namespaces/kt/leases/le-test');
    expect(lease.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    bc.abort();
    await rb;
  });

  it('patchStatus rebuilds its patch from a fresh read after a 409 conflict', async () => {
    const path = '/apis/kubevirt.io/v1/namespaces/kt/virtualmachineinstances';
    const vmi = await admin.create<{ metadata: { resourceVersion: string; name: string } }>(path, {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstance',
      metadata: { name: 'st' },
      spec: { domain: { memory: { guest: '64Mi' }, devices: {} } },
    });
    // Someone else (virt-handler) writes in between: our copy is stale.
    await admin.patch(`${path}/st/status`, { status: { phase: 'Running' } });
    const seenPhases: (string | undefined)[] = [];
    const out = await patchStatus<{ metadata: { resourceVersion: string }; status?: { phase?: string } }>({
      client: admin,
      path: `${path}/st`,
      current: vmi,
      build: (cur) => {
        seenPhases.push(cur.status?.phase);
        return cur.status?.phase === 'Running' ? { reason: 'seen-running' } : { phase: 'Scheduling' };
      },
    });
    expect(seenPhases).toEqual([undefined, 'Running']);
    expect(out?.status).toMatchObject({ phase: 'Running', reason: 'seen-running' });
  });

  it('EventRecorder folds repeated events into one with a count', async () => {
    const rec = new EventRecorder({ client: admin, component: 'test-controller', logger: silentLogger });
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'kt', uid: 'u-1' } };
    await rec.event(obj, 'Warning', 'FailedCreate', 'HostDevice x is not permitted in permittedHostDevices configuration');
    await rec.event(obj, 'Warning', 'FailedCreate', 'HostDevice x is not permitted in permittedHostDevices configuration');
    const list = await admin.get<{ items: { reason: string; count: number; source: { component: string }; involvedObject: { uid: string } }[] }>(
      '/api/v1/namespaces/kt/events',
    );
    const mine = list.items.filter((e) => e.involvedObject.uid === 'u-1');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ reason: 'FailedCreate', count: 2, source: { component: 'test-controller' } });
  });
});
