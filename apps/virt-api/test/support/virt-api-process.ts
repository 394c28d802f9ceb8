import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { eventually } from '@qvirt/testing';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface HttpsResult {
  status: number;
  body: string;
}

/** One HTTPS request to 127.0.0.1:port trusting only `caPem`. */
export function httpsCall(opts: { port: number; path: string; caPem: string; method?: string; body?: string; contentType?: string }): Promise<HttpsResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: opts.port,
        path: opts.path,
        method: opts.method ?? 'GET',
        ca: opts.caPem,
        headers: opts.body === undefined ? {} : { 'content-type': opts.contentType ?? 'application/json', 'content-length': Buffer.byteLength(opts.body) },
        timeout: 5000,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`https ${opts.path}: timed out`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface VirtApiProcess {
  readonly port: number;
  readonly child: ChildProcess;
  output(): string;
  /** Until /readyz answers 200 over TLS verified with caPem. */
  waitReady(caPem: string, timeoutMs?: number): Promise<void>;
  /** Sends the signal and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/** `virt-api serve` as its own process, from source (tsx, the `source` export condition). */
export function startVirtApi(opts: { port: number; args: string[] }): VirtApiProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'apps/virt-api/src/main.ts', 'serve', '--host', '127.0.0.1', `--port=${opts.port}`, ...opts.args],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    port: opts.port,
    child,
    output: () => out,
    async waitReady(caPem, timeoutMs = 90_000) {
      await eventually(
        'virt-api /readyz',
        async () => {
          const r = await httpsCall({ port: opts.port, path: '/readyz', caPem });
          if (r.status === 200) return true;
          throw new Error(`${r.status} ${r.body}`);
        },
        { timeoutMs, abort: () => (child.exitCode !== null ? `virt-api exited with ${child.exitCode}` : undefined) },
      ).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}:\n${out}`, { cause: err });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
