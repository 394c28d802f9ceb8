import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeBinError } from './errors.js';

/** The binaries the test environment runs; scripts/kube-bin.sh provides all of them. */
export const KUBE_BINARIES = ['kube-apiserver', 'etcd', 'kube-scheduler', 'kube-controller-manager', 'kubectl', 'kubelet', 'kube-proxy'] as const;
export type KubeBinary = (typeof KUBE_BINARIES)[number];

// src/ and dist/ are both two levels below the repository's packages/ directory.
const DEFAULT_SCRIPT = fileURLToPath(new URL('../../../scripts/kube-bin.sh', import.meta.url));

const cache = new Map<string, Promise<string>>();

/**
 * The directory holding the Kubernetes binaries, from scripts/kube-bin.sh (run once
 * per process and script; a cold build takes long, a warm call seconds).
 */
export function kubeBinDir(script: string = DEFAULT_SCRIPT): Promise<string> {
  return scriptBinDir(script, KUBE_BINARIES);
}

/**
 * The directory a setup script prints on its last stdout line (scripts/kube-bin.sh,
 * scripts/node-bin.sh), checked to hold `needed`; run once per process and script.
 */
export function scriptBinDir(script: string, needed: readonly string[]): Promise<string> {
  let dir = cache.get(script);
  if (!dir) {
    dir = runScript(script, needed);
    cache.set(script, dir);
    dir.catch(() => cache.delete(script)); // let a later call retry
  }
  return dir;
}

async function runScript(script: string, needed: readonly string[]): Promise<string> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('bash', [script], { maxBuffer: 16 * 1024 * 1024 }, (err, out, errOut) => {
      if (err) reject(new KubeBinError(`${script} failed (${err.message.split('\n')[0]}):\n${errOut.split('\n').slice(-30).join('\n')}`));
      else resolve(out);
    });
  });
  const dir = stdout.trim().split('\n').pop()?.trim() ?? '';
  if (!dir) throw new KubeBinError(`${script} printed no directory on its last stdout line`);
  await assertBinDir(dir, needed);
  return dir;
}

/** Throws naming the first missing binary (an explicit binDir gets the same check). */
export async function assertBinDir(dir: string, needed: readonly string[] = KUBE_BINARIES): Promise<void> {
  for (const bin of needed) {
    try {
      await access(join(dir, bin), constants.X_OK);
    } catch {
      throw new KubeBinError(`binDir ${dir} has no executable ${bin} (the setup scripts build it: scripts/kube-bin.sh, scripts/node-bin.sh)`);
    }
  }
}
