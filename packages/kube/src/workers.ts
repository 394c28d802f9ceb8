import { errFields, type Logger } from '@qvirt/log';
import type { WorkQueue } from './work-queue.js';

/** What a reconcile asks for next (controller-runtime's Result). */
export interface ReconcileResult {
  /** Poll: reconcile this key again after this long even without events. */
  requeueAfterMs?: number;
}

/** A reconcile error that retrying cannot fix: logged, not requeued. */
export class TerminalError extends Error {
  override name = 'TerminalError';
}

export interface RunWorkersOptions<K> {
  queue: WorkQueue<K>;
  workers: number;
  reconcile: (key: K) => Promise<ReconcileResult | void>;
  logger: Logger;
  /** Observes each reconcile (metrics): duration and outcome. */
  onReconciled?: (key: K, durationMs: number, outcome: 'success' | 'requeue' | 'error') => void;
}

/**
 * Runs `workers` loops over the queue until it is shut down. Error -> requeue
 * with the rate limiter's backoff; success -> forget the failure history.
 * Resolves when every worker has finished its current key.
 */
export async function runWorkers<K>(opts: RunWorkersOptions<K>): Promise<void> {
  const { queue, logger } = opts;
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      const started = performance.now();
      let outcome: 'success' | 'requeue' | 'error' = 'success';
      try {
        const result = await opts.reconcile(key);
        queue.forget(key);
        if (result?.requeueAfterMs !== undefined) {
          outcome = 'requeue';
          queue.addAfter(key, result.requeueAfterMs);
        }
      } catch (err) {
        outcome = 'error';
        if (err instanceof TerminalError) {
          queue.forget(key);
          logger.error({ key: String(key), ...errFields(err) }, 'reconcile failed terminally; not retrying');
        } else {
          logger.warn({ key: String(key), retries: queue.numRequeues(key), ...errFields(err) }, 'reconcile failed; retrying with backoff');
          queue.addRateLimited(key);
        }
      } finally {
        queue.done(key);
        opts.onReconciled?.(key, performance.now() - started, outcome);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.workers) }, worker));
}
