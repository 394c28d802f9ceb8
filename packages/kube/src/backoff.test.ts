import { describe, expect, it } from 'vitest';
import { Backoff, sleep } from './backoff.js';

describe('Backoff', () => {
  it('doubles up to the cap and starts over after reset', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 500, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 500]);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('jitter only shortens a delay, by at most the fraction', () => {
    const b = new Backoff({ initialMs: 1000, jitter: 0.5 });
    const d = b.next();
    expect(d).toBeGreaterThanOrEqual(500);
    expect(d).toBeLessThanOrEqual(1000);
  });

  it('sleep ends early when aborted', async () => {
    const ac = new AbortController();
    const t = Date.now();
    setTimeout(() => ac.abort(), 10);
    await sleep(5_000, ac.signal);
    expect(Date.now() - t).toBeLessThan(1_000);
  });
});
