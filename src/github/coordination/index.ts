import type { Coordinator, CoordinatorLog, Runner } from "./coordinator.js";
export {
  MemoryTimedStore,
  timedEntry,
  type TimedEntry,
  type TimedStore,
  type UnfinishedStore,
} from "./timed.js";
import { PullQueue } from "./queue.js";
import { RedisCoordinator, type RedisCoordinatorOptions } from "./redis-coordinator.js";
import type { SettleOptions } from "./settle.js";

export type {
  Coordinator,
  CoordinatorFactory,
  CoordinatorLog,
  Merge,
  Runner,
} from "./coordinator.js";

export interface CoordinatorOptions extends Omit<RedisCoordinatorOptions, "log">, SettleOptions {
  /** `redis://…`: coordinate through Redis (several replicas); unset or empty: in this process. */
  readonly redisUrl?: string;
  readonly log: CoordinatorLog;
}

/** The in-process queue, or the Redis coordinator when a Redis URL is given. */
export function createCoordinator<T>(run: Runner<T>, options: CoordinatorOptions): Coordinator<T> {
  const { redisUrl, ...redisOptions } = options;
  if (redisUrl) return new RedisCoordinator<T>(redisUrl, run, redisOptions);
  return new PullQueue<T>(run, options.log, options);
}
