import * as https from 'node:https';
import * as http from 'node:http';

export interface ProbeTls {
  ca?: string;
  cert?: string;
  key?: string;
  /** Components that serve a self-signed certificate (scheduler, controller-manager). */
  insecure?: boolean;
}

/** GET url; resolves with status and body, rejects on connection errors. */
export function httpGet(url: string, tls: ProbeTls = {}, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.get(u, { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecure, timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
