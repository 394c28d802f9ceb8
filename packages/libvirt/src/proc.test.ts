import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CAP_SYS_ADMIN, commOf, descendantsOf, hasEffectiveCapability, isDeadOrZombie, sessionOf } from './proc.js';

describe('/proc readers', () => {
  it('finds every descendant and tells a zombie from a live process', async () => {
    const sh = spawn('/bin/sh', ['-c', 'sleep 30 & (sleep 30 & wait) & wait'], { stdio: 'ignore' });
    try {
      let found: number[] = [];
      for (let i = 0; i < 50 && found.length < 4; i++, await sleep(20)) found = descendantsOf(sh.pid!);
      // sleep, the subshell, and the subshell's sleep (the outer `wait` is a builtin).
      expect(found.map(commOf).sort()).toEqual(['sh', 'sleep', 'sleep']);
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
      for (let i = 0; i < 50 && commOf(daemon.pid!) !== 'sleep'; i++) await sleep(20);
      expect(sessionOf(daemon.pid!)).toBe(daemon.pid);
    } finally {
      daemon.kill('SIGKILL');
    }
  });

  it('reads a process capability: a child started without CAP_SYS_ADMIN lacks it', async () => {
    const child = spawn('setpriv', ['--bounding-set', '-sys_admin', '--inh-caps', '-sys_admin', '--', 'sleep', '30'], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && commOf(child.pid!) !== 'sleep'; i++) await sleep(20);
      expect(commOf(child.pid!)).toBe('sleep');
      expect(hasEffectiveCapability(CAP_SYS_ADMIN, child.pid!)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
