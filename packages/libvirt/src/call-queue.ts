// Runs tasks one at a time, in order. One per connection: see error-capture.ts for why.

export class CallQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task, task);
    this.tail = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }

  /** Tasks queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Resolves once everything queued so far has finished (successfully or not). */
  drain(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
