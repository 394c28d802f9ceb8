// virt-api admission over TLS: requests/s and p50/p99 latency of the QAT VMI AdmissionReview
// through the real webhook server and rules, against an empty fastify HTTPS handler given the
// same body in the same run (goal: >= 0.8 of the empty handler's throughput). Loopback only.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { emptyClusterConfig } from '@qvirt/api';
import { createCA, issueCert } from '@qvirt/pki';
import { createApiMetrics, createWebhookServer, validationRules, webhookAdmitters, WebhookPaths } from '@qvirt/virt-api/webhook-server';
import Fastify from 'fastify';
import { pino } from 'pino';
import { figure, pairedFigure, type BenchFigure } from './figure.js';
import type { LoadRequest, LoadResult } from './load-generator.js';

const DURATION_S = 1;
const ROUNDS = 15;
const CONNECTIONS = 16;

interface Round extends LoadResult {
  /** CPU time of this process (the servers; the load generator is another process) per request. */
  cpuUsPerRequest: number;
}

function loadOnce(generator: ChildProcess, request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`admission bench: load generator exited with ${code}`));
    generator.once('exit', onExit);
    generator.once('message', (m) => {
      generator.off('exit', onExit);
      resolve(m as LoadResult);
    });
    generator.send(request);
  });
}

async function load(generator: ChildProcess, url: string, body: string, durationS = DURATION_S): Promise<Round> {
  const cpu0 = process.cpuUsage();
  const r = await loadOnce(generator, { url, body, connections: CONNECTIONS, durationS });
  const cpu = process.cpuUsage(cpu0);
  return { ...r, cpuUsPerRequest: r.total === 0 ? Number.NaN : (cpu.user + cpu.system) / r.total };
}

/** Median of one measure over the rounds. */
function median(rounds: readonly Round[], pick: (r: Round) => number): number {
  const sorted = rounds.map(pick).sort((a, b) => a - b);
  const m = sorted[Math.floor(sorted.length / 2)];
  if (m === undefined) throw new Error('admission bench: no rounds measured');
  return m;
}

function reviewBody(): string {
  const review = JSON.parse(readFileSync(new URL('../../apps/virt-api/src/admitters/testdata/vmi-create-qat.review.json', import.meta.url), 'utf8'));
  return JSON.stringify(review);
}

export async function benchAdmission(): Promise<BenchFigure[]> {
  const ca = await createCA({ commonName: 'bench-ca', validityDays: 1 });
  const tls = await issueCert({ ca, commonName: 'localhost', ipAddresses: ['127.0.0.1'], usage: 'server', validityDays: 1 });
  const logger = pino({ level: 'warn' });
  const body = reviewBody();

  const empty = Fastify({ https: { cert: tls.certPem, key: tls.keyPem }, logger: false });
  empty.post('/empty', async () => ({}));
  await empty.listen({ host: '127.0.0.1', port: 0 });
  const emptyUrl = `https://127.0.0.1:${(empty.server.address() as AddressInfo).port}/empty`;

  const config = emptyClusterConfig(['QAT']);
  const server = await createWebhookServer({
    logger,
    tls: tls,
    admitters: webhookAdmitters(validationRules),
    clusterConfig: { current: () => config, hasSynced: () => true },
    metrics: createApiMetrics(),
  });
  const port = await server.listen('127.0.0.1', 0);
  const base = `https://127.0.0.1:${port}`;
  const generator = fork(new URL('./load-generator.js', import.meta.url), { stdio: 'inherit' });
  try {
    const targets = { empty: emptyUrl, validate: `${base}${WebhookPaths.vmiValidateCreate}`, mutate: `${base}${WebhookPaths.vmiMutate}` };
    // Warm every target (JIT, TLS), then measure in short alternating rounds so a busy moment on
    // a shared machine hits all targets alike; ratios are taken round by round.
    for (const url of Object.values(targets)) await load(generator, url, body, 1);
    const runs: Record<keyof typeof targets, Round[]> = { empty: [], validate: [], mutate: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, url] of Object.entries(targets) as [keyof typeof targets, string][]) runs[name].push(await load(generator, url, body));
    }
    for (const [name, rounds] of Object.entries(runs)) {
      const failed = rounds.reduce((n, r) => n + r.non2xx, 0);
      if (failed > 0) throw new Error(`admission bench: ${name} runs had ${failed} failed or non-2xx responses`);
    }
    const rps = (r: Round) => r.rps;
    const cpu = (r: Round) => r.cpuUsPerRequest;
    // Round i of a target and of the empty handler ran back to back: their ratio shares the machine's speed of the moment.
    const paired = (target: Round[], pick: (r: Round) => number) => target.map((r, i) => ({ value: pick(r), baseline: pick(runs.empty[i]!) }));
    const note = `TLS loopback, ${CONNECTIONS} connections from a separate load process, ${ROUNDS} alternating ${DURATION_S} s rounds, baseline = empty fastify HTTPS handler, same body`;
    const pairedNote = `${note}; value and baseline are medians, ratio is the median of the rounds' own ratios`;
    return [
      pairedFigure('virt-api admission vmi-create validate throughput', paired(runs.validate, rps), 'req/s (higher is better)', pairedNote),
      figure('virt-api admission vmi-create validate p50 latency', median(runs.validate, (r) => r.p50), 'ms (lower is better)', median(runs.empty, (r) => r.p50), note),
      figure('virt-api admission vmi-create validate p99 latency', median(runs.validate, (r) => r.p99), 'ms (lower is better)', median(runs.empty, (r) => r.p99), note),
      pairedFigure('virt-api admission vmi-create validate server CPU per request', paired(runs.validate, cpu), 'µs (lower is better)', pairedNote),
      pairedFigure('virt-api admission vmi mutate throughput', paired(runs.mutate, rps), 'req/s (higher is better)', pairedNote),
      figure('virt-api admission vmi mutate p99 latency', median(runs.mutate, (r) => r.p99), 'ms (lower is better)', median(runs.empty, (r) => r.p99), note),
      pairedFigure('virt-api admission vmi mutate server CPU per request', paired(runs.mutate, cpu), 'µs (lower is better)', pairedNote),
    ];
  } finally {
    generator.kill();
    await server.close();
    await empty.close();
  }
}
