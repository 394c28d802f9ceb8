// The HTTP load generator in its own process, so the bench process's CPU time is the servers'
// alone. Closed loop: `connections` keep-alive HTTP/1.1 connections per target, each sending its
// next request when the answer to the last has arrived. The connections stay open across phases,
// so targets can alternate in short phases (the machine's speed drifts within seconds here, and
// short alternating phases are what lets a ratio cancel the drift) without a TLS handshake per
// phase. Requests are one prepared buffer and answers are read only as far as status and length:
// a general client (undici) spent about 130 µs a request, nearly a core at the rates measured,
// and competed with the server for the machine's two cores.
// Talks over IPC: the parent opens the targets, then asks for one phase at a time.
import { connect, type TLSSocket } from 'node:tls';
import { percentile } from './figure.js';

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
  /** Answers other than 200, and broken connections. */
  non2xx: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection: sends the prepared request, reads one answer, repeats while asked. */
class Connection {
  private pending: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  private sentAt = 0;
  private onAnswer: ((status: number, ms: number) => void) | undefined;

  private constructor(
    private readonly socket: TLSSocket,
    private readonly request: Buffer,
  ) {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', () => this.fail());
    socket.on('close', () => this.fail());
  }

  static open(url: URL, request: Buffer): Promise<Connection> {
    return new Promise((resolve, reject) => {
      // Loopback with the bench's own throwaway CA: the server's certificate is not verified.
      const socket = connect({ host: url.hostname, port: Number(url.port), rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () => {
        socket.off('error', reject);
        socket.setNoDelay(true);
        resolve(new Connection(socket, request));
      });
      socket.once('error', reject);
    });
  }

  /** Sends one request; `done` gets the status (0: connection broken) and the latency. */
  send(done: (status: number, ms: number) => void): void {
    this.onAnswer = done;
    this.sentAt = performance.now();
    this.socket.write(this.request);
  }

  private read(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const end = this.pending.indexOf(HEADER_END);
    if (end === -1) return;
    const head = this.pending.toString('latin1', 0, end);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    const total = end + HEADER_END.length + (length ? Number(length[1]) : 0);
    if (this.pending.length < total) return;
    this.pending = this.pending.subarray(total);
    this.answer(Number(head.slice(9, 12)));
  }

  private answer(status: number): void {
    const done = this.onAnswer;
    this.onAnswer = undefined;
    done?.(status, performance.now() - this.sentAt);
  }

  private fail(): void {
    this.answer(0);
  }

  close(): void {
    this.socket.end();
  }
}

const targets = new Map<string, Connection[]>();

function phase(name: string, ms: number): Promise<LoadResult> {
  const conns = targets.get(name);
  if (conns === undefined) throw new Error(`load generator: no target ${name}`);
  const latencies: number[] = [];
  let failed = 0;
  const start = performance.now();
  const end = start + ms;
  return new Promise((resolve) => {
    let running = conns.length;
    const finish = (): void => {
      if (--running > 0) return;
      const seconds = (performance.now() - start) / 1000;
      resolve({ rps: latencies.length / seconds, total: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), non2xx: failed });
    };
    for (const c of conns) {
      const loop = (status: number, latency: number): void => {
        latencies.push(latency);
        if (status !== 200) failed++;
        // A broken connection stops its loop (and is counted): no retry storm.
        if (status === 0 || performance.now() >= end) finish();
        else c.send(loop);
      };
      c.send(loop);
    }
  });
}

async function handle(cmd: LoadCommand): Promise<unknown> {
  switch (cmd.kind) {
    case 'open':
      for (const [name, raw] of Object.entries(cmd.targets)) {
        const url = new URL(raw);
        const body = Buffer.from(cmd.body);
        const head = `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
        const request = Buffer.concat([Buffer.from(head, 'latin1'), body]);
        targets.set(name, await Promise.all(Array.from({ length: cmd.connections }, () => Connection.open(url, request))));
      }
      return 'open';
    case 'phase':
      return phase(cmd.target, cmd.ms);
    case 'close':
      for (const conns of targets.values()) for (const c of conns) c.close();
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
