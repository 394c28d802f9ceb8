// virt-api admission over TLS: requests/s and p50/p99 latency of the QAT VMI AdmissionReview
// through the real webhook server and rules, against an empty fastify HTTPS handler given the
// same body in the same run (goal: >= 0.8 of the empty handler's throughput). Loopback only.
import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { emptyClusterConfig } from '@qvirt/api';
import { createCA, issueCert } from '@qvirt/pki';
import { createApiMetrics, createWebhookServer, validationRules, webhookAdmitters, WebhookPaths } from '@qvirt/admission';
import { loadReview } from '@qvirt/admission/testing';
import Fastify from 'fastify';
import { pino } from 'pino';
import { figure, pairedFigure, percentile, type BenchFigure } from './figure.js';
import type { LoadCommand, LoadResult } from './load-generator.js';

const PHASE_MS = 1000;
const ROUNDS = 40;
const CONNECTIONS = 16;

interface Round extends LoadResult {
  /** CPU time of this process (the servers; the load generator is another process) per request. */
  cpuUsPerRequest: number;
}

/** Sends one command to the load generator and waits for its answer. */
function command<T>(generator: ChildProcess, cmd: LoadCommand): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`admission bench: load generator exited with ${code}`));
    generator.once('exit', onExit);
    generator.once('message', (m: { ok: boolean; reply?: unknown; error?: string }) => {
      generator.off('exit', onExit);
      if (m.ok) resolve(m.reply as T);
      else reject(new Error(`admission bench: load generator: ${m.error}`));
    });
    generator.send(cmd);
  });
}

async function load(generator: ChildProcess, target: string, ms = PHASE_MS): Promise<Round> {
  const cpu0 = process.cpuUsage();
  const r = await command<LoadResult>(generator, { kind: 'phase', target, ms });
  const cpu = process.cpuUsage(cpu0);
  return { ...r, cpuUsPerRequest: r.total === 0 ? Number.NaN : (cpu.user + cpu.system) / r.total };
}

/** Median of one measure over the rounds. */
function median(rounds: readonly Round[], pick: (r: Round) => number): number {
  return percentile(rounds.map(pick), 50);
}

function reviewBody(): string {
  return JSON.stringify(loadReview('vmi-create-qat'));
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
    const names = Object.keys(targets) as (keyof typeof targets)[];
    await command(generator, { kind: 'open', targets, body, connections: CONNECTIONS });
    // Warm every target (JIT, TLS sessions), then measure in short alternating phases on the
    // same connections, so a busy moment on a shared machine hits all targets alike; ratios are
    // taken round by round.
    for (const name of names) await load(generator, name, 1000);
    const runs: Record<keyof typeof targets, Round[]> = { empty: [], validate: [], mutate: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of names) runs[name].push(await load(generator, name));
    }
    // One more baseline phase, so every target phase lies between two of the empty handler's.
    runs.empty.push(await load(generator, 'empty'));
    for (const [name, rounds] of Object.entries(runs)) {
      const failed = rounds.reduce((n, r) => n + r.non2xx, 0);
      if (failed > 0) throw new Error(`admission bench: ${name} runs had ${failed} failed or non-2xx responses`);
    }
    const rps = (r: Round) => r.rps;
    const cpu = (r: Round) => r.cpuUsPerRequest;
    // A target's phase in round i is compared with the mean of the empty handler's phases before
    // and after it (rounds i and i+1): the ratio shares the machine's speed of that moment.
    const paired = (target: Round[], pick: (r: Round) => number) =>
      target.map((r, i) => ({ value: pick(r), baseline: (pick(runs.empty[i]!) + pick(runs.empty[i + 1]!)) / 2 }));
    const note = `TLS loopback, ${CONNECTIONS} keep-alive connections per target from a separate load process, ${ROUNDS} rounds of alternating ${PHASE_MS} ms phases, baseline = empty fastify HTTPS handler, same body`;
    const pairedNote = `${note}; value and baseline are medians, ratio is the median of the rounds' own ratios, each against the two baseline phases around it`;
    return [
      pairedFigure('virt-api admission vmi-create validate throughput', paired(runs.validate, rps), 'req/s (higher is better)', pairedNote),
      figure(
        'virt-api admission vmi-create validate p50 latency',
        median(runs.validate, (r) => r.p50),
        'ms (lower is better)',
        median(runs.empty, (r) => r.p50),
        note,
      ),
      figure(
        'virt-api admission vmi-create validate p99 latency',
        median(runs.validate, (r) => r.p99),
        'ms (lower is better)',
        median(runs.empty, (r) => r.p99),
        note,
      ),
      pairedFigure('virt-api admission vmi-create validate server CPU per request', paired(runs.validate, cpu), 'µs (lower is better)', pairedNote),
      pairedFigure('virt-api admission vmi mutate throughput', paired(runs.mutate, rps), 'req/s (higher is better)', pairedNote),
      figure(
        'virt-api admission vmi mutate p99 latency',
        median(runs.mutate, (r) => r.p99),
        'ms (lower is better)',
        median(runs.empty, (r) => r.p99),
        note,
      ),
      pairedFigure('virt-api admission vmi mutate server CPU per request', paired(runs.mutate, cpu), 'µs (lower is better)', pairedNote),
    ];
  } finally {
    await command(generator, { kind: 'close' }).catch(() => undefined);
    generator.kill();
    await server.close();
    await empty.close();
  }
}
