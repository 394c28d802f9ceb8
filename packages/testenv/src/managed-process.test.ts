import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import { ManagedProcess } from './managed-process.js';

import { readFileSync } from 'node:fs';

// A killed orphan may linger as a zombie when PID 1 does not reap: that counts as dead.
const alive = (pid: number): boolean => {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z';
  } catch {
    return false;
  }
};

describe('ManagedProcess', () => {
  it('logs output to its file and stop() kills the whole process group, grandchildren included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mp-test-'));
    try {
      const pidFile = join(dir, 'grandchild.pid');
      // The shell ignores TERM, so stop() must escalate; the background sleep is a grandchild.
      const p = new ManagedProcess({
        name: 'sh',
        command: 'sh',
        args: ['-c', `trap '' TERM; sleep 300 & echo $! > ${pidFile}; echo started; wait`],
        logPath: join(dir, 'sh.log'),
      });
      await eventually('"started" in the log', async () => (await readFile(p.logPath, 'utf8')).includes('started'), { timeoutMs: 5_000, intervalMs: 50 });
      const grandchild = Number((await readFile(pidFile, 'utf8')).trim());
      expect(alive(grandchild)).toBe(true);
      await p.stop(300);
      expect(p.hasExited?.signal).toBe('SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
      expect(alive(grandchild)).toBe(false);
      expect(await p.logTail()).toBe('started');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
