import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { KubeConfigError } from './errors.js';
import type { KubeConfigLike } from './kube-config.js';

/**
 * node:http(s) with one keep-alive agent per client, so requests reuse their
 * connections. (Why our own client and not client-node: ADR 0011.)
 */
export class Transport {
  readonly server: URL;
  private readonly agent: HttpAgent;
  private readonly staticAuth: string | undefined;
  private readonly tokenFile: string | undefined;
  private token: { value: string; readAt: number } | undefined;

  constructor(kubeConfig: KubeConfigLike, maxSockets = 64) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new KubeConfigError('kubeconfig has no current cluster (check current-context)');
    const user = kubeConfig.getCurrentUser() ?? {};
    this.server = new URL(cluster.server.replace(/\/+$/, ''));
    const read = (data: string | undefined, file: string | undefined, what: string): Buffer | undefined => {
      if (data) return Buffer.from(data, 'base64');
      if (!file) return undefined;
      try {
        return readFileSync(file);
      } catch (err) {
        throw new KubeConfigError(`kubeconfig ${what} ${file}: ${(err as Error).message}`);
      }
    };
    const tls = {
      ca: read(cluster.caData, cluster.caFile, 'certificate-authority'),
      cert: read(user.certData, user.certFile, 'client-certificate'),
      key: read(user.keyData, user.keyFile, 'client-key'),
      rejectUnauthorized: cluster.skipTLSVerify !== true,
      ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
    };
    this.agent = this.server.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets, ...tls }) : new HttpAgent({ keepAlive: true, maxSockets });
    if (user.token) this.staticAuth = `Bearer ${user.token}`;
    else if (user.username) this.staticAuth = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
    this.tokenFile = user.authProvider?.config?.tokenFile ?? user.authProvider?.config?.['token-file'];
  }

  /** Sends a request; resolves with the response (body unread) once headers arrive. */
  send(opts: { method: string; path: string; query?: URLSearchParams; body?: string; contentType?: string; signal: AbortSignal }): Promise<IncomingMessage> {
    const url = new URL(this.server.href.replace(/\/$/, '') + opts.path);
    if (opts.query) url.search = opts.query.toString();
    const headers: Record<string, string> = { accept: 'application/json' };
    const auth = this.authorization();
    if (auth) headers.authorization = auth;
    if (opts.body !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(opts.body));
    }
    const fn = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      if (opts.signal.aborted) return reject(new Error('request aborted before it was sent'));
      // Abort by destroying the request ourselves: node's `signal` option raises AbortErrors
      // on streams nobody listens to any more once a watch has been read to its end.
      const req = fn(url, { method: opts.method, headers, agent: this.agent }, (res) => {
        res.on('error', () => {}); // readers see stream errors through iteration
        res.on('close', () => opts.signal.removeEventListener('abort', onAbort));
        resolve(res);
      });
      const onAbort = () => req.destroy(); // no error object: nothing may be left listening for it
      opts.signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => {
        opts.signal.removeEventListener('abort', onAbort);
        reject(err);
      });
      if (opts.body !== undefined) req.write(opts.body);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private authorization(): string | undefined {
    if (this.staticAuth) return this.staticAuth;
    if (!this.tokenFile) return undefined;
    // Projected service account tokens rotate: re-read the file every minute.
    if (!this.token || Date.now() - this.token.readAt > 60_000) {
      this.token = { value: readFileSync(this.tokenFile, 'utf8').trim(), readAt: Date.now() };
    }
    return `Bearer ${this.token.value}`;
  }
}

export async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  if (!res.complete) throw new Error('response body cut short (connection closed or request timed out)');
  return Buffer.concat(chunks).toString('utf8');
}
