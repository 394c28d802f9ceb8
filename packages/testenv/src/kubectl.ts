import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface KubectlOptions {
  /** Defaults to the admin kubeconfig. */
  kubeconfig?: string;
  /** Written to kubectl's stdin (e.g. a manifest for `apply -f -`). */
  stdin?: string;
  /** Default 60 s; kubectl is killed after it. */
  timeoutMs?: number;
}

export interface KubectlResult {
  stdout: string;
  stderr: string;
  /** Exit code; -1 if killed (timeout or signal). */
  code: number;
}

/** Runs binDir/kubectl; a non-zero exit is a result, not an exception. */
export function runKubectl(binDir: string, kubeconfig: string, args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(binDir, 'kubectl'), [`--kubeconfig=${opts.kubeconfig ?? kubeconfig}`, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
    child.stdin.end(opts.stdin ?? '');
  });
}
