import { describe, expect, it } from 'vitest';
import { waitFor } from './readiness.js';

describe('waitFor', () => {
  it('resolves once the check passes', async () => {
    let n = 0;
    await waitFor(async () => ++n >= 3, { timeoutMs: 2_000, intervalMs: 10 });
    expect(n).toBe(3);
  });

  it('times out reporting the last observation', async () => {
    await expect(waitFor(async () => 'HTTP 500 etcd not ready', { timeoutMs: 50, intervalMs: 10 })).rejects.toThrow('not ready after 50 ms (last: HTTP 500 etcd not ready)');
  });

  it('stops at once when aborted', async () => {
    await expect(waitFor(async () => false, { timeoutMs: 10_000, abort: () => 'exited during startup' })).rejects.toThrow('exited during startup');
  });
});
