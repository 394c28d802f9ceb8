import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.js';
import { BucketRateLimiter, ItemExponentialRateLimiter, MaxOfRateLimiter } from './rate-limiter.js';

describe('WorkQueue', () => {
  it('de-duplicates a key added many times before it is taken', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands a key being processed to a second worker; re-queues it on done()', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const k = await q.get();
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0);
    const second = q.get();
    let got: string | undefined;
    void second.then((v) => (got = v));
    await Promise.resolve();
    expect(got).toBeUndefined();
    q.done(k!);
    expect(await second).toBe('a');
  });

  it('hands a key straight to a waiting worker', async () => {
    const q = new WorkQueue<string>();
    const p = q.get();
    q.add('x');
    expect(await p).toBe('x');
    expect(q.len()).toBe(0);
  });

  it('addAfter keeps the earliest pending delay and adds once', async () => {
    const q = new WorkQueue<string>();
    q.addAfter('a', 30);
    q.addAfter('a', 1000);
    q.addAfter('a', 20);
    expect(q.len()).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(q.len()).toBe(1);
    q.shutDown();
  });

  it('rate-limits retries exponentially per key and forget() resets', () => {
    const l = new ItemExponentialRateLimiter<string>(5, 1000);
    expect([l.when('a'), l.when('a'), l.when('a'), l.when('b')]).toEqual([5, 10, 20, 5]);
    expect(l.retries('a')).toBe(3);
    l.forget('a');
    expect(l.when('a')).toBe(5);
    for (let i = 0; i < 20; i++) l.when('c');
    expect(l.when('c')).toBe(1000);
  });

  it('the bucket limiter allows a burst, then paces at qps', () => {
    let now = 0;
    const b = new BucketRateLimiter<string>(10, 2, () => now);
    expect([b.when('a'), b.when('b')]).toEqual([0, 0]);
    expect(b.when('c')).toBe(100);
    now = 1000;
    expect(b.when('d')).toBe(0);
    const m = new MaxOfRateLimiter<string>(new ItemExponentialRateLimiter(50), new BucketRateLimiter(10, 100, () => now));
    expect(m.when('z')).toBe(50);
  });

  it('shutDown releases waiting workers with undefined', async () => {
    const q = new WorkQueue<string>();
    const p = q.get();
    q.shutDown();
    expect(await p).toBeUndefined();
    q.add('late');
    expect(q.len()).toBe(0);
  });

  it('reports depth changes', () => {
    const depths: number[] = [];
    const q = new WorkQueue<string>({ onDepth: (d) => depths.push(d) });
    q.add('a');
    q.add('b');
    void q.get();
    expect(depths).toEqual([1, 2, 1]);
  });
});
