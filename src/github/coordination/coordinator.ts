import type { TimedStore, UnfinishedStore } from "./timed.js";

/** Runs one evaluation of the work queued under `key` (a pull request). */
export type Runner<T> = (key: string, request: T) => Promise<void>;

/** Folds two queued requests for one key into one (the latest event usually wins). */
export type Merge<T> = (previous: T, next: T) => T;

/**
 * One evaluation at a time per key, with bursts coalesced: events that arrive while an
 * evaluation runs are merged into one pending request, and at most one more evaluation follows.
 *
 * - `PullQueue` (queue.ts) does it in this process: enough for one replica.
 * - `RedisCoordinator` (redis-coordinator.ts) does it across replicas with a per-key lock and a
 *   per-key pending list in Redis; requests must then be plain JSON.
 */
export interface Coordinator<T> {
  /**
   * Schedules `request` for `key`. Resolves when the evaluation that covers it has finished in
   * this process, or at once when another process holds the key and will cover it. Never rejects:
   * failures are logged.
   */
  enqueue(key: string, request: T, merge?: Merge<T>): Promise<void>;
  /** Resolves when this process has nothing running or waiting (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Waits for `idle()`, then releases what the coordinator holds (its Redis connection). */
  close(): Promise<void>;
  /**
   * Takes the lease `name` for `ttlMs` unless another process holds it; true when this process
   * now holds it. It is never released, it expires: work done once per period by one replica (the
   * recovery sweep). Absent: one process, which always holds it.
   */
  lease?(name: string, ttlMs: number): Promise<boolean>;
  /**
   * The store of pull requests due at an instant (coordination/timed.ts), shared by the replicas
   * this coordinator coordinates: in memory for one process, a sorted set in Redis. Absent: the
   * App keeps one in memory.
   */
  timedStore?<E>(): TimedStore<E>;
  /**
   * The store of evaluations asked for and not known to have finished (coordination/timed.ts),
   * only where it outlives the replica that runs them (Redis): the recovery sweep then finds an
   * evaluation a dead replica took with it there, without reading GitHub. Absent (one process,
   * whose death takes its memory with it): the sweep looks for stuck checks on GitHub.
   */
  unfinishedStore?<E>(): UnfinishedStore<E>;
}

/** Builds the coordinator around the App's runner (tests pass their own, e.g. instrumented). */
export type CoordinatorFactory<T> = (run: Runner<T>) => Coordinator<T>;

export interface CoordinatorLog {
  warn: (obj: object, msg?: string) => void;
  error: (obj: object, msg?: string) => void;
}
