/**
 * One evaluation at a time per pull request, in this process. Events that arrive while one runs
 * are coalesced: at most one more evaluation follows, with the latest request (which reloads
 * everything, so it reflects the last head). Different PRs run in parallel.
 */
export class PullQueue<T> {
  private readonly running = new Map<string, Promise<void>>();
  private readonly pending = new Map<string, T>();
  private readonly all = new Set<Promise<void>>();

  constructor(private readonly run: (key: string, request: T) => Promise<void>) {}

  /** Schedules work for `key`; resolves when the evaluation that covers this request has finished. */
  enqueue(
    key: string,
    request: T,
    merge: (previous: T, next: T) => T = (_previous, next) => next,
  ): Promise<void> {
    const active = this.running.get(key);
    if (active) {
      const waiting = this.pending.get(key);
      this.pending.set(key, waiting === undefined ? request : merge(waiting, request));
      return active;
    }
    const task = this.drain(key, request);
    this.running.set(key, task);
    this.all.add(task);
    void task.finally(() => this.all.delete(task));
    return task;
  }

  /** Resolves when nothing is running or waiting (tests and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.all.size > 0) await Promise.allSettled([...this.all]);
  }

  private async drain(key: string, first: T): Promise<void> {
    let request: T | undefined = first;
    try {
      while (request !== undefined) {
        await this.run(key, request);
        request = this.pending.get(key);
        this.pending.delete(key);
      }
    } finally {
      this.running.delete(key);
    }
  }
}
