// Persistent mode (the local stack): the control plane outlives the process that started it,
// keeps its state directory, and can be found and stopped through its pid files.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import { runKubectl } from '../src/kubectl.js';
import { kubeBinDir } from '../src/index.js';

const FIXTURE = fileURLToPath(new URL('./persistent-start.fixture.ts', import.meta.url));
let dir: string | undefined;
const pids: number[] = [];

afterAll(async () => {
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('startControlPlane({persistent})', () => {
  it('keeps running after its starter exits, with pid files in the state dir', async () => {
    dir = await mkdtemp(join(tmpdir(), 'qvirt-testenv-persistent-'));
    const stateDir = join(dir, 'state');
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', FIXTURE, stateDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    const started = JSON.parse(out.trim()) as { server: string; pids: { etcd: number; apiserver: number }; kubeconfig: string };
    pids.push(started.pids.etcd, started.pids.apiserver);

    expect(readFileSync(join(stateDir, 'etcd', 'etcd.pid'), 'utf8').trim()).toBe(String(started.pids.etcd));
    expect(readFileSync(join(stateDir, 'kube-apiserver', 'kube-apiserver.pid'), 'utf8').trim()).toBe(String(started.pids.apiserver));
    // The starter is gone; the API server still answers.
    const r = await runKubectl(await kubeBinDir(), started.kubeconfig, ['get', '--raw', '/readyz']);
    expect(r).toMatchObject({ code: 0, stdout: 'ok' });

    for (const pid of [started.pids.apiserver, started.pids.etcd]) process.kill(-pid, 'SIGKILL');
    await eventually('apiserver and etcd gone', () => ![started.pids.apiserver, started.pids.etcd].some(alive), { timeoutMs: 10_000, intervalMs: 100 });
    expect([started.pids.apiserver, started.pids.etcd].filter(alive)).toEqual([]);
    expect(existsSync(join(stateDir, 'pki', 'ca.crt'))).toBe(true);
  });
});
