// The HTTP load generator in its own process, so the bench process's CPU time is the servers'
// alone. Closed loop: `connections` keep-alive connections per target, each sending its next
// request when the answer to the last has arrived. The connections stay open across phases, so
// targets can alternate in short phases (the machine's speed drifts within seconds here, and
// short alternating phases are what lets a ratio cancel the drift) without a TLS handshake per
// phase. Talks over IPC: the parent opens the targets, then asks for one phase at a time.
import { Pool } from 'undici';

export interface OpenTargets {
  kind: 'open';
  /** Name -> https URL (path included). */
  targets: Record<string, string>;
  body: string;
  connections: number;
}

export interface RunPhase {
  kind: 'phase';
  target: string;
  ms: number;
}

export type LoadCommand = OpenTargets | RunPhase | { kind: 'close' };

export interface LoadResult {
  rps: number;
  total: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  /** Answers other than 200, and transport errors. */
  non2xx: number;
}

interface Target {
  pool: Pool;
  path: string;
}

const targets = new Map<string, Target>();
let body = '';
let connections = 1;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function phase(name: string, ms: number): Promise<LoadResult> {
  const target = targets.get(name);
  if (target === undefined) throw new Error(`load generator: no target ${name}`);
  const latencies: number[] = [];
  let failed = 0;
  const start = performance.now();
  const end = start + ms;
  const connection = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const res = await target.pool.request({ path: target.path, method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.body.dump();
        if (res.statusCode !== 200) failed++;
      } catch {
        failed++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: connections }, connection));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, total: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), non2xx: failed };
}

async function handle(cmd: LoadCommand): Promise<unknown> {
  switch (cmd.kind) {
    case 'open':
      body = cmd.body;
      connections = cmd.connections;
      for (const [name, url] of Object.entries(cmd.targets)) {
        const u = new URL(url);
        // Loopback with the bench's own throwaway CA: the server's certificate is not verified.
        targets.set(name, { pool: new Pool(u.origin, { connections, pipelining: 1, connect: { rejectUnauthorized: false } }), path: u.pathname });
      }
      return 'open';
    case 'phase':
      return phase(cmd.target, cmd.ms);
    case 'close':
      await Promise.all([...targets.values()].map((t) => t.pool.close()));
      targets.clear();
      return 'closed';
  }
}

process.on('message', (cmd: LoadCommand) => {
  handle(cmd).then(
    (reply) => process.send?.({ ok: true, reply }),
    (err: unknown) => process.send?.({ ok: false, error: String(err) }),
  );
});
