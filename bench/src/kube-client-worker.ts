// One Kubernetes client under test in its own process (kube-client.bench.ts forks two: ours and
// @kubernetes/client-node), so each one's memory and CPU time are its own. It loads only the
// library it is told to, so its resident set after `init` is that library's. The parent sends
// one command at a time over IPC and waits for the answer. Run with --expose-gc.
import tls from 'node:tls';
import { percentile } from './figure.js';

export type ClientName = 'qvirt' | 'client-node';
export type WorkerCommand =
  /** Loads the client's library and a kubeconfig; `none` loads nothing (the bare process, for reference). */
  | { kind: 'init'; client: ClientName | 'none'; kubeconfigPath: string }
  /** `ops` times GET a pod then merge-PATCH an annotation on it, `concurrency` at a time. */
  | { kind: 'getPatch'; namespace: string; names: string[]; ops: number; concurrency: number }
  /** LIST the namespace's pods, then merge-PATCH each one's /status, `concurrency` at a time. */
  | { kind: 'listStatus'; namespace: string; concurrency: number; round: number }
  /** Opens a watch on the namespace's pods from `resourceVersion`; answers once it is open. */
  | { kind: 'watchStart'; namespace: string; resourceVersion: string }
  /** Answers once the watch has seen an event for pod `name` with annotation `marker` = `value`. */
  | { kind: 'watchAwait'; name: string; marker: string; value: string; timeoutMs: number }
  | { kind: 'watchStop' }
  /**
   * `watches` times in a row: a watch from resourceVersion 0, whose first events are an ADDED per
   * existing pod (`expect` of them), served from the apiserver's watch cache as fast as it and the
   * client go; each watch is closed once its `expect` events are in.
   */
  | { kind: 'flood'; namespace: string; expect: number; watches: number }
  | { kind: 'exit' };

export interface Memory {
  rssMiB: number;
  /** Peak resident set since the phase began (sampled every 20 ms). */
  peakRssMiB: number;
  /** Heap in use after a full GC. */
  heapUsedMiB: number;
}

export interface PhaseResult extends Memory {
  requests: number;
  ms: number;
  cpuUs: number;
  /** TLS connections this process opened during the phase. */
  connections: number;
}

export interface WatchResult extends Memory {
  events: number;
  /** Receive time of the first and last stamped event, ms (wall clock, as the stamps). */
  firstAt: number;
  lastAt: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  cpuUs: number;
  connections: number;
  /** Times the server ended the watch and it was reopened from the last resourceVersion. */
  rewatches: number;
}

export interface FloodResult extends Memory {
  events: number;
  ms: number;
  cpuUs: number;
}

/** The annotation the bench's watch writes carry: when the write was sent (ms, wall clock). */
export const SENT_AT = 'bench.qvirt.io/sent-at';

interface PodLike {
  metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
}

/** What the bench asks of either client. */
interface ClientUnderTest {
  getPod(namespace: string, name: string): Promise<PodLike>;
  patchPod(namespace: string, name: string, patch: object): Promise<PodLike>;
  listPods(namespace: string): Promise<{ items: PodLike[] }>;
  patchPodStatus(namespace: string, name: string, patch: object): Promise<PodLike>;
  /** Calls onEvent per event and onEnd once if the watch ends by itself; resolves once it is open; `stop` ends it. */
  watch(namespace: string, resourceVersion: string, onEvent: (type: string, obj: PodLike) => void, onEnd: (why: string) => void): Promise<{ stop(): void }>;
}

const MIB = 1024 * 1024;
const podPath = (ns: string, name?: string) => `/api/v1/namespaces/${ns}/pods${name ? `/${name}` : ''}`;

async function qvirtClient(kubeconfigPath: string): Promise<ClientUnderTest> {
  // @qvirt/kube's build (its package's default export condition), as client-node is loaded.
  const { KubeClient, loadKubeConfig } = await import('@qvirt/kube').catch((err: unknown) => {
    throw new Error(`kube-client bench: @qvirt/kube is not built (npm run build): ${(err as Error).message}`);
  });
  const c = new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath }) });
  return {
    getPod: (ns, name) => c.get<PodLike>(podPath(ns, name)),
    patchPod: (ns, name, patch) => c.patch<PodLike>(podPath(ns, name), patch, 'merge'),
    listPods: (ns) => c.get<{ items: PodLike[] }>(podPath(ns)),
    patchPodStatus: (ns, name, patch) => c.patch<PodLike>(`${podPath(ns, name)}/status`, patch, 'merge'),
    async watch(ns, resourceVersion, onEvent, onEnd) {
      const abort = new AbortController();
      c.watch<PodLike>(podPath(ns), { resourceVersion, allowWatchBookmarks: true }, (ev) => onEvent(ev.type, ev.object as PodLike), abort.signal).then(
        () => abort.signal.aborted || onEnd('closed by the server'),
        (err: Error) => onEnd(err.message),
      );
      return { stop: () => abort.abort() };
    },
  };
}

async function clientNodeClient(kubeconfigPath: string): Promise<ClientUnderTest> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  // As a controller on client-node would: the generic object API for reads and writes, the
  // typed API where the generic one has no call (subresources), its Watch for streams.
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  const header = (ns: string, name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns } });
  return {
    getPod: (ns, name) => objects.read(header(ns, name)) as Promise<PodLike>,
    patchPod: (ns, name, patch) =>
      objects.patch(
        { ...header(ns, name), ...patch, metadata: { ...header(ns, name).metadata, ...(patch as PodLike).metadata } },
        undefined,
        undefined,
        undefined,
        undefined,
        k8s.PatchStrategy.MergePatch,
      ) as Promise<PodLike>,
    listPods: (ns) => objects.list('v1', 'Pod', ns) as Promise<{ items: PodLike[] }>,
    patchPodStatus: (ns, name, patch) => core.patchNamespacedPodStatus({ name, namespace: ns, body: patch }, merge) as Promise<PodLike>,
    async watch(ns, resourceVersion, onEvent, onEnd) {
      const w = new k8s.Watch(kc);
      let stopped = false;
      const ctl = await w.watch(
        podPath(ns),
        { resourceVersion, allowWatchBookmarks: true },
        (type, obj: PodLike) => onEvent(type, obj),
        (err: unknown) => {
          if (!stopped) onEnd(err ? String(err) : 'closed by the server');
        },
      );
      return {
        stop: () => {
          stopped = true;
          ctl.abort();
        },
      };
    },
  };
}

let client: ClientUnderTest | undefined;
let clientName = '';
let peakRss = 0;
let connections = 0;
// Both clients reach the apiserver through tls.connect (node:https's agent, undici's connector).
const tlsConnect = tls.connect.bind(tls);
tls.connect = ((...args: Parameters<typeof tls.connect>) => {
  connections++;
  return tlsConnect(...args);
}) as typeof tls.connect;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20).unref();

function memory(): Memory {
  const rss = process.memoryUsage.rss();
  peakRss = Math.max(peakRss, rss);
  (globalThis as { gc?: () => void }).gc?.();
  return { rssMiB: rss / MIB, peakRssMiB: peakRss / MIB, heapUsedMiB: process.memoryUsage().heapUsed / MIB };
}

/** Runs `fn` over `items` with `concurrency` in flight; returns how many requests it made. */
async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<number>): Promise<number> {
  let next = 0;
  let requests = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const n = await fn(items[next++]!);
        requests += n; // not `requests += await ...`: that reads `requests` before the await
      }
    }),
  );
  return requests;
}

async function phase(run: () => Promise<number>): Promise<PhaseResult> {
  peakRss = process.memoryUsage.rss();
  const conn0 = connections;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const requests = await run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { requests, ms, cpuUs: cpu.user + cpu.system, connections: connections - conn0, ...memory() };
}

interface WatchState {
  handle: { stop(): void };
  lags: number[];
  events: number;
  firstAt: number;
  lastAt: number;
  /** The informer-like cache: the newest object per pod. */
  cache: Map<string, PodLike>;
  waiters: { name: string; marker: string; value: string; resolve: () => void; reject: (err: Error) => void }[];
  /** Why the watch failed (an ERROR event, a failed reopen). */
  ended?: string;
  resourceVersion: string;
  rewatches: number;
  stopped: boolean;
  cpu0: NodeJS.CpuUsage;
  conn0: number;
}
let watchState: WatchState | undefined;

async function handle(cmd: WorkerCommand): Promise<unknown> {
  switch (cmd.kind) {
    case 'init':
      clientName = cmd.client;
      if (cmd.client !== 'none') client = cmd.client === 'qvirt' ? await qvirtClient(cmd.kubeconfigPath) : await clientNodeClient(cmd.kubeconfigPath);
      return memory();
    case 'getPatch': {
      const c = client!;
      const ops = Array.from({ length: cmd.ops }, (_, i) => cmd.names[i % cmd.names.length]!);
      let n = 0;
      return phase(() =>
        pool(ops, cmd.concurrency, async (name) => {
          await c.getPod(cmd.namespace, name);
          await c.patchPod(cmd.namespace, name, { metadata: { annotations: { 'bench.qvirt.io/touched': String(n++) } } });
          return 2;
        }),
      );
    }
    case 'listStatus': {
      const c = client!;
      return phase(async () => {
        const list = await c.listPods(cmd.namespace);
        const names = list.items.map((p) => p.metadata!.name!);
        const cond = { type: 'BenchRound', status: 'True', reason: `Round${cmd.round}` };
        return 1 + (await pool(names, cmd.concurrency, async (name) => (await c.patchPodStatus(cmd.namespace, name, { status: { conditions: [cond] } }), 1)));
      });
    }
    case 'watchStart': {
      peakRss = process.memoryUsage.rss();
      const s: WatchState = {
        handle: { stop() {} },
        lags: [],
        events: 0,
        firstAt: 0,
        lastAt: 0,
        cache: new Map(),
        waiters: [],
        resourceVersion: cmd.resourceVersion,
        rewatches: 0,
        stopped: false,
        cpu0: process.cpuUsage(),
        conn0: connections,
      };
      watchState = s;
      const fail = (why: string) => {
        s.ended ??= why;
        for (const w of s.waiters.splice(0)) w.reject(new Error(`watch ended: ${why}`));
      };
      const onEvent = (type: string, obj: PodLike) => {
        const now = performance.timeOrigin + performance.now();
        if (type === 'ERROR') return fail(`ERROR event: ${JSON.stringify(obj)}`);
        s.resourceVersion = obj.metadata?.resourceVersion ?? s.resourceVersion;
        if (type !== 'ADDED' && type !== 'MODIFIED') return;
        const name = obj.metadata?.name ?? '';
        const a = obj.metadata?.annotations ?? {};
        const previous = s.cache.get(name)?.metadata?.annotations?.[SENT_AT];
        s.cache.set(name, obj);
        const sent = a[SENT_AT];
        if (sent !== undefined && sent !== previous) {
          s.events++;
          if (s.firstAt === 0) s.firstAt = now;
          s.lastAt = now;
          s.lags.push(now - Number(sent));
        }
        if (s.waiters.length > 0) {
          s.waiters = s.waiters.filter((w) => {
            if (w.name !== name || a[w.marker] !== w.value) return true;
            w.resolve();
            return false;
          });
        }
      };
      // As an informer does: a watch the server ends (it drops a watcher it finds slow, or one
      // idle too long) is reopened from the last resourceVersion seen; an ERROR event fails it.
      const open = async (): Promise<void> => {
        s.handle = await client!.watch(cmd.namespace, s.resourceVersion, onEvent, (why) => {
          if (s.stopped || s.ended) return;
          s.rewatches++;
          process.stderr.write(`  ${clientName} watch ended (${why}); reopening from ${s.resourceVersion}\n`);
          open().catch((err: Error) => fail(err.message));
        });
      };
      await open();
      return { ok: true };
    }
    case 'watchAwait': {
      const s = watchState!;
      if (s.cache.get(cmd.name)?.metadata?.annotations?.[cmd.marker] === cmd.value) return { ok: true }; // arrived before this command
      if (s.ended) throw new Error(`watch ended: ${s.ended}`);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no event with ${cmd.marker}=${cmd.value} on ${cmd.name} within ${cmd.timeoutMs} ms`)), cmd.timeoutMs);
        s.waiters.push({ ...cmd, resolve: () => (clearTimeout(timer), resolve()), reject: (err) => (clearTimeout(timer), reject(err)) });
      });
      return { ok: true };
    }
    case 'watchStop': {
      const s = watchState!;
      s.stopped = true;
      s.handle.stop();
      const cpu = process.cpuUsage(s.cpu0);
      const mem = memory(); // with the cache still held
      watchState = undefined;
      const result: WatchResult = {
        events: s.events,
        firstAt: s.firstAt,
        lastAt: s.lastAt,
        lagP50: percentile(s.lags, 50),
        lagP99: percentile(s.lags, 99),
        lagMax: Math.max(...s.lags),
        cpuUs: cpu.user + cpu.system,
        connections: connections - s.conn0,
        rewatches: s.rewatches,
        ...mem,
      };
      return result;
    }
    case 'flood': {
      const c = client!;
      peakRss = process.memoryUsage.rss();
      const cache = new Map<string, PodLike>();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let events = 0;
      for (let i = 0; i < cmd.watches; i++) {
        let seen = 0;
        let stop = () => {};
        await new Promise<void>((resolve, reject) => {
          c.watch(
            cmd.namespace,
            '0',
            (type, obj) => {
              if (type !== 'ADDED') return;
              cache.set(obj.metadata?.name ?? '', obj);
              if (++seen === cmd.expect) resolve();
            },
            (why) => reject(new Error(`flood watch ended after ${seen}/${cmd.expect} events: ${why}`)),
          ).then((h) => (stop = h.stop), reject);
        });
        stop();
        events += seen;
      }
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const result: FloodResult = { events, ms, cpuUs: cpu.user + cpu.system, ...memory() };
      cache.clear();
      return result;
    }
    case 'exit':
      setImmediate(() => process.exit(0));
      return { ok: true };
  }
}

process.on('message', (cmd: WorkerCommand) => {
  handle(cmd).then(
    (reply) => process.send!({ ok: true, reply }),
    (err: Error) => process.send!({ ok: false, error: `${err.message}${err.stack ? `\n${err.stack}` : ''}` }),
  );
});
