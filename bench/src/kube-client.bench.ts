// The Kubernetes client: @qvirt/kube's KubeClient against @kubernetes/client-node (KubeConfig,
// KubernetesObjectApi, CoreV1Api for /status, its Watch), on the same workloads against a real
// kube-apiserver + etcd (testenv, loopback). Value = ours, baseline = client-node (ADR 0011).
// Each client runs in its own process (kube-client-worker.ts) that loads only its library, so
// memory and CPU time are the client's own.
// 1. GET a pod + merge-PATCH it, 8 in flight, over 50 launcher-sized pods.
// 2. As the controller does: LIST the namespace, then merge-PATCH /status of each of its pods.
//    Both in alternating rounds (the machine's speed drifts; each round's ratio shares it).
// 3. A watch on 1,000 pods while this process writes them (aiming at 1,000 writes/s for 10 s; the
//    apiserver on this machine sets what is reached); both clients watch the same stream at once:
//    events delivered per second, lag from the write's send time to the event's arrival,
//    resident set and CPU of the watching process.
// 4. A flood: each client in turn opens 10 watches in a row from resourceVersion 0, each of which
//    starts with an ADDED event per pod (1,000) sent from the apiserver's watch cache as fast as
//    it and the client go (well above 1,000 events/s): events/s, CPU per event, peak resident set.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { KubeClient, loadKubeConfig, type KubeList, type Pod } from '@qvirt/kube';
import { startControlPlane } from '@qvirt/testenv';
import { figure, pairedFigure, type BenchFigure } from './figure.js';
import { SENT_AT, type ClientName, type Memory, type PhaseResult, type WatchResult, type WorkerCommand, type FloodResult } from './kube-client-worker.js';

const PODS = 50;
const OPS_PER_ROUND = 300; // GET + PATCH each: 600 requests
const CONCURRENCY = 8;
const ROUNDS = 6;
const WATCH_PODS = 1000;
const WATCH_RATE = 1000; // writes/s
const WATCH_SECONDS = 10;
const WATCH_IN_FLIGHT = 64;
const FLOOD_ROUNDS = 3;
const FLOOD_WATCHES = 10;
const MARKER = 'bench.qvirt.io/marker';
const CLIENTS: readonly ClientName[] = ['qvirt', 'client-node'];

/** A pod shaped like a launcher pod (one container with command, env, resources, security context, mounts). */
function benchPod(namespace: string, name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { 'kubevirt.io': 'virt-launcher', 'kubevirt.io/created-by': `uid-${name}` },
      annotations: { 'kubevirt.io/domain': name },
    },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 45,
      nodeSelector: { 'kubevirt.io/schedulable': 'true' },
      securityContext: { runAsUser: 0, runAsNonRoot: false },
      containers: [
        {
          name: 'compute',
          image: 'qvirt/virt-launcher:bench',
          imagePullPolicy: 'IfNotPresent',
          command: [
            'virt-launcher',
            '--vmi-uid',
            `uid-${name}`,
            '--run-dir',
            '/var/run/kubevirt',
            '--namespace',
            namespace,
            '--name',
            name,
            '--grace-period-seconds',
            '30',
          ],
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'QVIRT_KVM_MODE', value: 'emulation' },
          ],
          resources: { requests: { cpu: '100m', memory: '400Mi', 'qat.intel.com/generic': '1' }, limits: { 'qat.intel.com/generic': '1' } },
          securityContext: {
            privileged: false,
            runAsUser: 0,
            allowPrivilegeEscalation: false,
            capabilities: { add: ['NET_BIND_SERVICE', 'SYS_RESOURCE'], drop: ['NET_RAW'] },
          },
          volumeMounts: [{ name: 'kubevirt-run', mountPath: '/var/run/kubevirt', mountPropagation: 'HostToContainer' }],
        },
      ],
      volumes: [{ name: 'kubevirt-run', hostPath: { path: '/var/run/kubevirt', type: 'DirectoryOrCreate' } }],
    },
  };
}

interface Worker {
  name: ClientName | 'none';
  child: ChildProcess;
  send<T>(cmd: WorkerCommand): Promise<T>;
}

function startWorker(name: ClientName | 'none'): Worker {
  // From source (tsx) the worker is compiled by tsx, but the libraries load as JavaScript in both
  // workers: no `source` condition, so @qvirt/kube comes from its dist like client-node does.
  const fromSource = import.meta.url.endsWith('.ts');
  const child = fork(new URL(`./kube-client-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url), [], {
    execArgv: [...(fromSource ? ['--import', 'tsx'] : []), '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    name,
    child,
    send<T>(cmd: WorkerCommand): Promise<T> {
      return new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`kube-client bench: ${name} worker exited with ${code}`));
        child.once('exit', onExit);
        child.once('message', (m: { ok: boolean; reply?: unknown; error?: string }) => {
          child.off('exit', onExit);
          if (m.ok) resolve(m.reply as T);
          else reject(new Error(`kube-client bench: ${name} worker: ${m.error}`));
        });
        child.send(cmd);
      });
    },
  };
}

/** The undici that client-node runs on here (the root package.json's overrides pick it). */
function clientNodeUndici(): string {
  const fromClientNode = createRequire(createRequire(import.meta.url).resolve('@kubernetes/client-node'));
  return (JSON.parse(readFileSync(join(dirname(fromClientNode.resolve('undici')), 'package.json'), 'utf8')) as { version: string }).version;
}

const podsPath = (ns: string, name?: string) => `/api/v1/namespaces/${ns}/pods${name ? `/${name}` : ''}`;

/**
 * Writes the watched pods at up to `rate`/s for `seconds` (then stops sending), at most `inFlight`
 * at a time; returns the writes made and the rate reached.
 */
async function generateWrites(
  admin: KubeClient,
  ns: string,
  names: readonly string[],
  rate: number,
  seconds: number,
  inFlight: number,
): Promise<{ writes: number; rate: number; failed: number }> {
  let sent = 0;
  let done = 0;
  let failed = 0;
  let pending = 0;
  let sending = true;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = performance.now() - t0;
      if (elapsed >= seconds * 1000) sending = false;
      const due = Math.floor((elapsed * rate) / 1000) + 1;
      while (sending && sent < due && pending < inFlight) {
        const name = names[sent % names.length]!;
        sent++;
        pending++;
        const stamp = String(performance.timeOrigin + performance.now());
        admin
          .patch(podsPath(ns, name), { metadata: { annotations: { [SENT_AT]: stamp } } }, 'merge')
          .catch(() => failed++)
          .finally(() => {
            pending--;
            done++;
            if (!sending && done === sent) resolve();
          });
      }
      if (sending) setTimeout(tick, 1);
      else if (done === sent) resolve();
    };
    tick();
  });
  return { writes: sent - failed, rate: ((sent - failed) * 1000) / (performance.now() - t0), failed };
}

export async function benchKubeClient(): Promise<BenchFigure[]> {
  const cp = await startControlPlane();
  const workers: Worker[] = [];
  const admin = new KubeClient({ kubeConfig: loadKubeConfig({ kubeconfigPath: cp.kubeconfigPath }) });
  try {
    for (const ns of ['bench', 'watch']) {
      await admin.create('/api/v1/namespaces', { metadata: { name: ns } });
      await admin.create(`/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'default' } });
    }
    const names = Array.from({ length: PODS }, (_, i) => `pod-${i}`);
    for (const n of names) await admin.create(podsPath('bench'), benchPod('bench', n));
    const watchNames = Array.from({ length: WATCH_PODS }, (_, i) => `w-${i}`);
    for (let i = 0; i < watchNames.length; i += 16)
      await Promise.all(watchNames.slice(i, i + 16).map((n) => admin.create(podsPath('watch'), benchPod('watch', n))));

    const bare = startWorker('none');
    const bareMemory = await bare.send<Memory>({ kind: 'init', client: 'none', kubeconfigPath: cp.kubeconfigPath });
    await bare.send({ kind: 'exit' });
    for (const c of CLIENTS) workers.push(startWorker(c));
    const loaded: Record<string, Memory> = {};
    for (const w of workers) loaded[w.name] = await w.send<Memory>({ kind: 'init', client: w.name, kubeconfigPath: cp.kubeconfigPath });

    // Warm-up (JIT, connection pools, client-node's resource discovery), then alternating rounds.
    for (const w of workers) {
      await w.send<PhaseResult>({ kind: 'getPatch', namespace: 'bench', names, ops: 50, concurrency: CONCURRENCY });
      await w.send<PhaseResult>({ kind: 'listStatus', namespace: 'bench', concurrency: CONCURRENCY, round: -1 });
    }
    const getPatch: Record<string, PhaseResult[]> = { qvirt: [], 'client-node': [] };
    const listStatus: Record<string, PhaseResult[]> = { qvirt: [], 'client-node': [] };
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? workers : [...workers].reverse();
      for (const w of order)
        getPatch[w.name]!.push(await w.send<PhaseResult>({ kind: 'getPatch', namespace: 'bench', names, ops: OPS_PER_ROUND, concurrency: CONCURRENCY }));
      for (const w of order)
        listStatus[w.name]!.push(await w.send<PhaseResult>({ kind: 'listStatus', namespace: 'bench', concurrency: CONCURRENCY, round: r }));
    }

    // The watch: both clients on the same stream, from the same resourceVersion.
    const list = await admin.get<KubeList<Pod>>(podsPath('watch'));
    const rv = list.metadata!.resourceVersion!;
    for (const w of workers) await w.send({ kind: 'watchStart', namespace: 'watch', resourceVersion: rv });
    const marker = async (value: string) => {
      await admin.patch(podsPath('watch', 'w-0'), { metadata: { annotations: { [MARKER]: value } } }, 'merge');
      await Promise.all(workers.map((w) => w.send({ kind: 'watchAwait', name: 'w-0', marker: MARKER, value, timeoutMs: 60_000 })));
    };
    await marker('open');
    const gen = await generateWrites(admin, 'watch', watchNames, WATCH_RATE, WATCH_SECONDS, WATCH_IN_FLIGHT);
    await marker('end'); // every write's event has reached both watchers
    const watch: Record<string, WatchResult> = {};
    for (const w of workers) watch[w.name] = await w.send<WatchResult>({ kind: 'watchStop' });
    process.stderr.write(
      `  requests: ${JSON.stringify({ getPatch, listStatus })}\n  watch generator: ${JSON.stringify(gen)}\n  watch: ${JSON.stringify(watch)}\n`,
    );
    const flood: Record<string, FloodResult[]> = { qvirt: [], 'client-node': [] };
    for (let r = 0; r < FLOOD_ROUNDS; r++) {
      for (const w of r % 2 === 0 ? workers : [...workers].reverse()) {
        flood[w.name]!.push(await w.send<FloodResult>({ kind: 'flood', namespace: 'watch', expect: WATCH_PODS, watches: FLOOD_WATCHES }));
      }
    }

    const ours = 'qvirt';
    const theirs = 'client-node';
    const paired = (runs: Record<string, PhaseResult[]>, pick: (r: PhaseResult) => number) =>
      runs[ours]!.map((r, i) => ({ value: pick(r), baseline: pick(runs[theirs]![i]!) }));
    const rps = (r: PhaseResult) => (r.requests * 1000) / r.ms;
    const cpuPerReq = (r: PhaseResult) => r.cpuUs / r.requests;
    const connPer1000 = (runs: PhaseResult[]) => (1000 * runs.reduce((s, r) => s + r.connections, 0)) / runs.reduce((s, r) => s + r.requests, 0);
    const maxOf = (runs: PhaseResult[], pick: (r: PhaseResult) => number) => Math.max(...runs.map(pick));
    const allRuns = (c: string) => [...getPatch[c]!, ...listStatus[c]!];
    const rate = (w: WatchResult) => (w.events * 1000) / (w.lastAt - w.firstAt);
    const note = `value = @qvirt/kube KubeClient, baseline = @kubernetes/client-node 2.0.1 (on undici ${clientNodeUndici()}, Node ${process.versions.node}); real kube-apiserver + etcd on loopback TLS; each client in its own process`;
    const loadNote = `${note}; the same worker loading neither: ${bareMemory.rssMiB.toFixed(1)} MiB resident, ${bareMemory.heapUsedMiB.toFixed(1)} MiB heap`;
    const reqNote = `${note}; ${ROUNDS} alternating rounds, ${CONCURRENCY} in flight; ratio = median of the rounds' own ratios`;
    const watchNote = `${note}; both watch ${WATCH_PODS} pods at once while the bench writes them for ${WATCH_SECONDS} s aiming at ${WATCH_RATE}/s, ${WATCH_IN_FLIGHT} in flight (reached ${gen.rate.toFixed(0)} writes/s, ${gen.writes} writes, ${gen.failed} failed); events received (watches reopened after the server ended them): ours ${watch[ours]!.events} (${watch[ours]!.rewatches}), client-node ${watch[theirs]!.events} (${watch[theirs]!.rewatches})`;
    const floodNote = `${note}; one client at a time, ${FLOOD_WATCHES} watches from resourceVersion 0 in a row, each read until its ${WATCH_PODS} initial ADDED events (launcher-sized pods) are in; ${FLOOD_ROUNDS} alternating rounds, ratio = median of the rounds' own ratios`;
    const pairedFlood = (pick: (w: FloodResult) => number) => flood[ours]!.map((w, i) => ({ value: pick(w), baseline: pick(flood[theirs]![i]!) }));
    process.stderr.write(`  flood: ${JSON.stringify(flood)}\n`);
    return [
      pairedFigure('kube-client.get_patch_req_per_s', paired(getPatch, rps), 'req/s (GET+PATCH pod, higher is better)', reqNote),
      pairedFigure('kube-client.get_patch_cpu_us_per_req', paired(getPatch, cpuPerReq), 'µs client CPU/request (lower is better)', reqNote),
      pairedFigure('kube-client.list_status_patch_req_per_s', paired(listStatus, rps), 'req/s (LIST + PATCH /status per pod, higher is better)', reqNote),
      pairedFigure('kube-client.list_status_patch_cpu_us_per_req', paired(listStatus, cpuPerReq), 'µs client CPU/request (lower is better)', reqNote),
      figure(
        'kube-client.connections_per_1000_req',
        connPer1000(allRuns(ours)),
        'TLS connections opened/1000 requests (lower is better)',
        connPer1000(allRuns(theirs)),
        reqNote,
      ),
      figure(
        'kube-client.rss_loaded_mib',
        loaded[ours]!.rssMiB,
        'MiB resident after loading the library and a kubeconfig (lower is better)',
        loaded[theirs]!.rssMiB,
        `${loadNote}`,
      ),
      figure(
        'kube-client.heap_loaded_mib',
        loaded[ours]!.heapUsedMiB,
        'MiB heap after loading, after GC (lower is better)',
        loaded[theirs]!.heapUsedMiB,
        `${loadNote}`,
      ),
      figure(
        'kube-client.requests_peak_rss_mib',
        maxOf(allRuns(ours), (r) => r.peakRssMiB),
        'MiB peak resident during the request rounds (lower is better)',
        maxOf(allRuns(theirs), (r) => r.peakRssMiB),
        reqNote,
      ),
      figure(
        'kube-client.requests_heap_after_mib',
        allRuns(ours).at(-1)!.heapUsedMiB,
        'MiB heap after the request rounds, after GC (lower is better)',
        allRuns(theirs).at(-1)!.heapUsedMiB,
        reqNote,
      ),
      figure(
        'kube-client.watch_events_per_s',
        rate(watch[ours]!),
        'events/s delivered (first to last event; higher is better)',
        rate(watch[theirs]!),
        watchNote,
      ),
      figure('kube-client.watch_lag_p50_ms', watch[ours]!.lagP50, 'ms write sent -> event received, p50 (lower is better)', watch[theirs]!.lagP50, watchNote),
      figure('kube-client.watch_lag_p99_ms', watch[ours]!.lagP99, 'ms write sent -> event received, p99 (lower is better)', watch[theirs]!.lagP99, watchNote),
      figure(
        'kube-client.watch_peak_rss_mib',
        watch[ours]!.peakRssMiB,
        'MiB peak resident while watching (lower is better)',
        watch[theirs]!.peakRssMiB,
        watchNote,
      ),
      figure(
        'kube-client.watch_cpu_us_per_event',
        watch[ours]!.cpuUs / Math.max(1, watch[ours]!.events),
        'µs client CPU/event (lower is better)',
        watch[theirs]!.cpuUs / Math.max(1, watch[theirs]!.events),
        watchNote,
      ),
      pairedFigure(
        'kube-client.flood_events_per_s',
        pairedFlood((w) => (w.events * 1000) / w.ms),
        'events/s delivered from the watch cache (higher is better)',
        floodNote,
      ),
      pairedFigure(
        'kube-client.flood_cpu_us_per_event',
        pairedFlood((w) => w.cpuUs / w.events),
        'µs client CPU/event (lower is better)',
        floodNote,
      ),
      pairedFigure(
        'kube-client.flood_peak_rss_mib',
        pairedFlood((w) => w.peakRssMiB),
        'MiB peak resident during the flood (lower is better)',
        floodNote,
      ),
      figure(
        'kube-client.watch_heap_after_mib',
        watch[ours]!.heapUsedMiB,
        'MiB heap after the watch, after GC, cache of 1,000 pods held (lower is better)',
        watch[theirs]!.heapUsedMiB,
        watchNote,
      ),
    ];
  } finally {
    for (const w of workers) {
      if (w.child.exitCode !== null) continue;
      const exited = new Promise((r) => w.child.once('exit', r));
      w.child.kill('SIGTERM');
      await exited;
    }
    await admin.close();
    await cp.stop();
  }
}
