// virt-api admission over TLS: requests/s and p50/p99 latency of the QAT VMI AdmissionReview
// through the real webhook server and rules, against an empty fastify HTTPS handler given the
// same body in the same run (goal: >= 0.8 of the empty handler's throughput). Loopback only.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { emptyClusterConfig } from '@qvirt/api';
import { createCA, issueCert } from '@qvirt/pki';
import { createApiMetrics, createWebhookServer, validationRules, webhookAdmitters, WebhookPaths } from '@qvirt/virt-api/webhook-server';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { pino } from 'pino';
import { figure, type BenchFigure } from './figure.js';

const DURATION_S = 3;
const ROUNDS = 3;
const CONNECTIONS = 16;

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function load(url: string, body: string, duration = DURATION_S): Promise<LoadResult> {
  const r = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration,
    // The load generator runs on its own thread so it does not share the server's event loop.
    workers: 1,
    tlsOptions: { rejectUnauthorized: false },
  } as autocannon.Options);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors };
}

/** The round with the median throughput (its latencies with it). */
function median(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.rps - b.rps);
  const m = sorted[Math.floor(sorted.length / 2)];
  if (m === undefined) throw new Error('admission bench: no rounds measured');
  return { ...m, non2xx: results.reduce((n, r) => n + r.non2xx, 0) };
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
  try {
    const targets = { empty: emptyUrl, validate: `${base}${WebhookPaths.vmiValidateCreate}`, mutate: `${base}${WebhookPaths.vmiMutate}` };
    // Warm every target (JIT, TLS), then measure in alternating rounds so a busy moment on a
    // shared machine hits all targets alike; the median round counts.
    for (const url of Object.values(targets)) await load(url, body, 1);
    const runs: Record<keyof typeof targets, LoadResult[]> = { empty: [], validate: [], mutate: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, url] of Object.entries(targets) as [keyof typeof targets, string][]) runs[name].push(await load(url, body));
    }
    const baseline = median(runs.empty);
    const validate = median(runs.validate);
    const mutate = median(runs.mutate);
    for (const [name, r] of [['empty', baseline], ['validate', validate], ['mutate', mutate]] as const) {
      if (r.non2xx > 0) throw new Error(`admission bench: ${name} run had ${r.non2xx} failed or non-2xx responses`);
    }
    const note = `TLS loopback, ${CONNECTIONS} connections, median of ${ROUNDS} alternating ${DURATION_S} s rounds, baseline = empty fastify HTTPS handler, same body`;
    return [
      figure('virt-api admission vmi-create validate throughput', validate.rps, 'req/s (higher is better)', baseline.rps, note),
      figure('virt-api admission vmi-create validate p50 latency', validate.p50, 'ms (lower is better)', baseline.p50, note),
      figure('virt-api admission vmi-create validate p99 latency', validate.p99, 'ms (lower is better)', baseline.p99, note),
      figure('virt-api admission vmi mutate throughput', mutate.rps, 'req/s (higher is better)', baseline.rps, note),
      figure('virt-api admission vmi mutate p99 latency', mutate.p99, 'ms (lower is better)', baseline.p99, note),
    ];
  } finally {
    await server.close();
    await empty.close();
  }
}
