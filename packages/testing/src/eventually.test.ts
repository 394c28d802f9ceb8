import { describe, expect, it } from 'vitest';
import { eventually, EventuallyError } from './eventually.js';

describe('eventually', () => {
  it('returns the first value that is not undefined, null or false', async () => {
    let n = 0;
    const v = await eventually('the fourth try', () => (++n >= 4 ? { n } : [undefined, null, false][n - 1]), { timeoutMs: 2_000, intervalMs: 10 });
    expect(v).toEqual({ n: 4 });
  });

  it('counts a throw as not yet', async () => {
    let n = 0;
    const v = await eventually(
      'a probe that fails twice',
      async () => {
        if (++n < 3) throw new Error('not yet');
        return true;
      },
      { timeoutMs: 2_000, intervalMs: 10 },
    );
    expect(v).toBe(true);
  });

  it('times out naming what it waited for and the last error, kept as the cause', async () => {
    const cause = new Error('HTTP 500 etcd not ready');
    const err = await eventually('kube-apiserver /readyz', async () => Promise.reject(cause), { timeoutMs: 50, intervalMs: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventuallyError);
    expect(err).toMatchObject({ what: 'kube-apiserver /readyz', reason: 'timeout', cause });
    expect((err as Error).message).toBe('timed out after 50 ms waiting for kube-apiserver /readyz (last: HTTP 500 etcd not ready)');
  });

  it('names the last value when nothing was thrown', async () => {
    await expect(eventually('a flag', () => false, { timeoutMs: 30, intervalMs: 10 })).rejects.toThrow(
      'timed out after 30 ms waiting for a flag (last: returned false)',
    );
  });

  it('stops at once when aborted', async () => {
    const t0 = Date.now();
    const err = await eventually('readiness', () => undefined, { timeoutMs: 10_000, abort: () => 'exited during startup' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'aborted', message: 'gave up waiting for readiness: exited during startup' });
    expect(Date.now() - t0).toBeLessThan(1_000);
  });
});
