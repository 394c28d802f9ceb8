// Runs one task per key at a time; requests that arrive while a key runs fold into one rerun.

export class KeyedRunner {
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly task: (key: string) => Promise<void>,
    private readonly onError: (key: string, err: unknown) => void,
  ) {}

  enqueue(key: string, afterMs = 0): void {
    if (this.stopped) return;
    if (afterMs > 0) {
      if (this.timers.has(key)) return;
      this.timers.set(key, setTimeout(() => {
        this.timers.delete(key);
        this.enqueue(key);
      }, afterMs));
      return;
    }
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    this.running.add(key);
    void this.loop(key);
  }

  get idle(): boolean {
    return this.running.size === 0;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private async loop(key: string): Promise<void> {
    try {
      do {
        this.dirty.delete(key);
        try {
          await this.task(key);
        } catch (err) {
          this.onError(key, err);
          // Back off a little so a persistent API error does not spin.
          this.enqueue(key, 1000);
        }
      } while (this.dirty.has(key) && !this.stopped);
    } finally {
      this.running.delete(key);
    }
  }
}
