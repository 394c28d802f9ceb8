import { describe, expect, it } from 'vitest';
import { CallQueue } from './call-queue.js';

describe('CallQueue', () => {
  it('runs tasks one at a time in order, even after a failure', async () => {
    const q = new CallQueue();
    const log: string[] = [];
    let running = 0;
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        running++;
        expect(running).toBe(1);
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
        running--;
        if (fail) throw new Error(name);
        return name;
      };
    const a = q.run(task('a', 20));
    const b = q.run(task('b', 1, true));
    const c = q.run(task('c', 5));
    expect(q.size).toBe(3);
    await expect(a).resolves.toBe('a');
    await expect(b).rejects.toThrow('b');
    await expect(c).resolves.toBe('c');
    await q.drain();
    expect(q.size).toBe(0);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
