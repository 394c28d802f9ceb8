import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { eventually } from '@qvirt/testing';
import { CAP_SYS_ADMIN, commOf, descendantsOf, hasEffectiveCapability, isDeadOrZombie, sessionOf } from './proc.js';

describe('/proc readers', () => {
  it('finds every descendant and tells a zombie from a live process', async () => {
    const sh = spawn('/bin/sh', ['-c', 'sleep 30 & (sleep 30 & wait) & wait'], { stdio: 'ignore' });
    try {
      // sleep, the subshell, and the subshell's sleep (the outer `wait` is a builtin).
      const found = await eventually(
        'the three descendants',
        () => {
          const d = descendantsOf(sh.pid!);
          expect(d.map(commOf).sort()).toEqual(['sh', 'sleep', 'sleep']);
          return d;
        },
        { timeoutMs: 1_000, intervalMs: 20 },
      );
      expect(found.every((p) => !isDeadOrZombie(p))).toBe(true);
      // Children stay in our session; a daemon (setsid) has its own, which outlives it as a zombie.
      expect(sessionOf(sh.pid!)).toBe(sessionOf(process.pid));
    } finally {
      sh.kill('SIGKILL');
    }
    const exited = spawn('/bin/true');
    await new Promise((ok) => exited.once('exit', ok));
    expect(isDeadOrZombie(exited.pid!)).toBe(true);
    const daemon = spawn('setsid', ['sleep', '30'], { stdio: 'ignore' });
    try {
      await eventually('the daemon exec-ed sleep', () => commOf(daemon.pid!) === 'sleep', { timeoutMs: 1_000, intervalMs: 20 });
      expect(sessionOf(daemon.pid!)).toBe(daemon.pid);
    } finally {
      daemon.kill('SIGKILL');
    }
  });

  it('reads a process capability: a child started without CAP_SYS_ADMIN lacks it', async () => {
    const child = spawn('setpriv', ['--bounding-set', '-sys_admin', '--inh-caps', '-sys_admin', '--', 'sleep', '30'], { stdio: 'ignore' });
    try {
      await eventually('the child exec-ed sleep', () => commOf(child.pid!) === 'sleep', { timeoutMs: 1_000, intervalMs: 20 });
      expect(commOf(child.pid!)).toBe('sleep');
      expect(hasEffectiveCapability(CAP_SYS_ADMIN, child.pid!)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
