import type { Coordinator, CoordinatorLog, Merge, Runner } from "./coordinator.js";
import { MemoryTimedStore, type TimedStore } from "./timed.js";
import { DEFAULT_MAX_SETTLE_MS, DEFAULT_SETTLE_MS, sleep, type SettleOptions } from "./settle.js";

/**
 * One evaluation at a time per pull request, in this process. Events that arrive while one runs
 * are coalesced: at most one more evaluation follows, with the latest request (which reloads
 * everything, so it reflects the last head). Different PRs run in parallel.
 * Enough for one replica; several replicas use `RedisCoordinator` (see coordinator.ts).
 */
export class PullQueue<T> implements Coordinator<T> {
  private readonly running = new Map<string, Promise<void>>();
  private readonly pending = new Map<string, T>();
  private readonly all = new Set<Promise<void>>();
  private readonly lastRequest = new Map<string, number>();
  private readonly settleMs: number;
  private readonly maxSettleMs: number;
  private timed: MemoryTimedStore<unknown> | undefined;

  constructor(
    private readonly run: Runner<T>,
    private readonly log?: CoordinatorLog,
    settle: SettleOptions = {},
  ) {
    this.settleMs = settle.settleMs ?? DEFAULT_SETTLE_MS;
    this.maxSettleMs = settle.maxSettleMs ?? DEFAULT_MAX_SETTLE_MS;
  }

  /** Schedules work for `key`; resolves when the evaluation that covers this request has finished. */
  enqueue(key: string, request: T, merge: Merge<T> = (_previous, next) => next): Promise<void> {
    const active = this.running.get(key);
    this.lastRequest.set(key, Date.now());
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

  close(): Promise<void> {
    return this.idle();
  }

  /** One store in this process's memory (lost on a restart; docs/deployment.md). */
  timedStore<E>(): TimedStore<E> {
    this.timed ??= new MemoryTimedStore<unknown>();
    return this.timed as TimedStore<E>;
  }

  private async drain(key: string, first: T): Promise<void> {
    let request: T | undefined = first;
    try {
      while (request !== undefined) {
        try {
          await this.run(key, request);
        } catch (error) {
          // A failed evaluation must not strand the requests that arrived meanwhile.
          this.log?.error({ key, reason: String(error) }, "evaluation failed");
        }
        if (this.pending.has(key)) await this.settle(key);
        request = this.pending.get(key);
        this.pending.delete(key);
      }
    } finally {
      this.running.delete(key);
      this.lastRequest.delete(key);
    }
  }

  /** Waits until no request for `key` has arrived for `settleMs` (at most `maxSettleMs`). */
  private async settle(key: string): Promise<void> {
    const deadline = Date.now() + this.maxSettleMs;
    for (;;) {
      const quietFor = Date.now() - (this.lastRequest.get(key) ?? 0);
      const wait = Math.min(this.settleMs - quietFor, deadline - Date.now());
      if (wait <= 0) return;
      await sleep(wait);
    }
  }
}
