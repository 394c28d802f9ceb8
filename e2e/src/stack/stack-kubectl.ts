import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** kubectl (binDir's, e.g. the one built with the API server; '' = from PATH) against a kubeconfig; non-zero exit throws with stderr. */
export function runKubectlFor(binDir: string, kubeconfig: string): (args: string[], stdin?: string) => Promise<string> {
  return (args, stdin) =>
    new Promise((resolve, reject) => {
      const child = spawn(binDir ? join(binDir, 'kubectl') : 'kubectl', [`--kubeconfig=${kubeconfig}`, ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: 120_000,
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`kubectl ${args.join(' ')} (exit ${code}): ${err.trim()}`))));
      child.stdin.end(stdin ?? '');
    });
}
