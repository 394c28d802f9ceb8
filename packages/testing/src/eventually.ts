// The one poll loop of the tests, test support and the local stack's scripts: try a probe until it
// gives a value, within a bounded time, and on failure say what was waited for and what was seen.

export interface EventuallyOptions {
  /** How long to keep trying, counted from the first attempt. */
  timeoutMs: number;
  /** Pause between attempts; default 200 ms. */
  intervalMs?: number;
  /**
   * Asked before every attempt: a reason (e.g. "the process exited") stops the wait at once and
   * becomes the error, instead of polling on to the timeout.
   */
  abort?: () => string | undefined;
}

/** One attempt: a value means done; `undefined`, `null` or `false` means not yet; a throw means not yet, and why. */
export type Probe<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

/** `eventually` gave up: the time ran out (`reason: 'timeout'`) or `abort` said why (`'aborted'`). */
export class EventuallyError extends Error {
  override readonly name = 'EventuallyError';
  constructor(
    readonly what: string,
    readonly reason: 'timeout' | 'aborted',
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Polls `probe` until it returns a value other than `undefined`, `null` or `false`, and returns it.
 * A probe that throws counts as "not yet"; to say what it saw, a probe throws an Error with that
 * observation. On timeout the error names `what`, the timeout and the last observation (the last
 * thrown error's message, its `cause`, or the last value returned), so a failure says what was seen.
 * An attempt that is still running at the deadline is awaited (one slow probe is never cut off).
 */
export async function eventually<T>(what: string, probe: Probe<T>, opts: EventuallyOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: { thrown: unknown } | { returned: unknown } = { returned: undefined };
  for (;;) {
    const aborted = opts.abort?.();
    if (aborted !== undefined) {
      throw new EventuallyError(what, 'aborted', `gave up waiting for ${what}: ${aborted}`, 'thrown' in last ? { cause: last.thrown } : undefined);
    }
    try {
      const v = await probe();
      if (v !== undefined && v !== null && v !== false) return v;
      last = { returned: v };
    } catch (err) {
      last = { thrown: err };
    }
    if (Date.now() > deadline) {
      const seen = 'thrown' in last ? (last.thrown instanceof Error ? last.thrown.message : String(last.thrown)) : `returned ${String(last.returned)}`;
      throw new EventuallyError(
        what,
        'timeout',
        `timed out after ${opts.timeoutMs} ms waiting for ${what} (last: ${seen})`,
        'thrown' in last ? { cause: last.thrown } : undefined,
      );
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
  }
}
