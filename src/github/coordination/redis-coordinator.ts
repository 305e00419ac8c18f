import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { Redis } from "ioredis";
import type { Coordinator, CoordinatorLog, Merge, Runner } from "./coordinator.js";
import { entryKey, type TimedStore, type UnfinishedStore } from "./timed.js";
import { DEFAULT_MAX_SETTLE_MS, DEFAULT_SETTLE_MS, sleep, type SettleOptions } from "./settle.js";

/**
 * Per-PR locks and coalescing shared by every replica, in Redis.
 *
 * Two keys per pull request (both with the same `{hash tag}`, so the scripts also work on a
 * Redis Cluster):
 *
 * - `<prefix>:{<key>}:lock`: the token of the replica that evaluates the PR now, with a TTL
 *   (`SET NX PX`). The holder renews it while it runs and deletes it with a compare-and-delete
 *   script, so a replica never releases a lock it lost. A holder that dies frees it when the TTL
 *   runs out.
 * - `<prefix>:{<key>}:pending`: the requests that arrived and are not evaluated yet, as a list of
 *   JSON values. The holder takes the whole list, folds it with `merge` (the latest wins), and
 *   evaluates once: a burst on any number of replicas ends with one more evaluation, which reads
 *   the latest state from GitHub.
 *
 * Each step is one Lua script, so nothing falls between two replicas:
 * `enqueue` pushes the request and tries the lock in one step; `release` deletes the lock only
 * when the pending list is empty. A request pushed while the holder is finishing is therefore
 * either seen by the holder or finds the lock free and evaluates itself.
 */
export interface RedisCoordinatorOptions extends SettleOptions {
  /** Lock TTL in ms (default 30 s); renewed every third of it while an evaluation runs. */
  readonly lockTtlMs?: number;
  /** How long unclaimed pending requests are kept (default 24 h). */
  readonly pendingTtlMs?: number;
  /** Key prefix (default `changegate`). */
  readonly prefix?: string;
  readonly log?: CoordinatorLog;
}

/** What this replica did, for tests and metrics. */
export interface CoordinatorStats {
  /** Enqueues that took the lock and evaluated here. */
  acquired: number;
  /** Enqueues that found the lock held and left their request to the holder. */
  deferred: number;
  /** Evaluations run here. */
  runs: number;
  /** Times this replica found its lock gone (expired or taken over) while it held it. */
  lost: number;
}

// KEYS[1] pending, KEYS[2] lock; ARGV[1] request, ARGV[2] token, ARGV[3] lock TTL, ARGV[4] pending TTL
const ENQUEUE = `
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return 1 end
return 0`;

// KEYS[1] lock, KEYS[2] pending; ARGV[1] token. All pending requests, or nil when the lock is not ours.
const TAKE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
local items = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2])
return items`;

// KEYS[1] lock, KEYS[2] pending; ARGV[1] token. 1 released, 0 more is pending (kept), -1 not ours.
const RELEASE_IF_DONE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('LLEN', KEYS[2]) > 0 then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

// KEYS[1] lock; ARGV[1] token, ARGV[2] TTL. 1 renewed, 0 not ours.
const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`;

// KEYS[1] lock; ARGV[1] token. Compare-and-delete.
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`;

// KEYS[1] sorted set; ARGV[1] member, ARGV[2] due-by score. 1 removed, 0 kept (absent or later).
const SETTLE = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) <= tonumber(ARGV[2]) then return redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0`;

interface Scripts {
  changegateEnqueue(
    pending: string,
    lock: string,
    request: string,
    token: string,
    ttl: number,
    pendingTtl: number,
  ): Promise<number>;
  changegateTake(lock: string, pending: string, token: string): Promise<string[] | null>;
  changegateReleaseIfDone(lock: string, pending: string, token: string): Promise<number>;
  changegateRenew(lock: string, token: string, ttl: number): Promise<number>;
  changegateRelease(lock: string, token: string): Promise<number>;
  changegateSettle(set: string, member: string, dueBy: number): Promise<number>;
}

const silent: CoordinatorLog = { warn: () => {}, error: () => {} };

export class RedisCoordinator<T> implements Coordinator<T> {
  readonly stats: CoordinatorStats = { acquired: 0, deferred: 0, runs: 0, lost: 0 };
  private readonly redis: Redis;
  private readonly scripts: Scripts;
  private readonly owned: boolean;
  private readonly ttl: number;
  private readonly pendingTtl: number;
  private readonly settleMs: number;
  private readonly maxSettleMs: number;
  private readonly prefix: string;
  private readonly log: CoordinatorLog;
  private readonly all = new Set<Promise<void>>();
  /** Identifies this replica in the lock's value (host and pid help whoever reads Redis). */
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`;

  /** `redis` is a URL (the coordinator owns and closes the connection) or a client to share. */
  constructor(
    redis: Redis | string,
    private readonly run: Runner<T>,
    options: RedisCoordinatorOptions = {},
  ) {
    this.ttl = options.lockTtlMs ?? 30_000;
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.maxSettleMs = options.maxSettleMs ?? DEFAULT_MAX_SETTLE_MS;
    this.pendingTtl = Math.max(options.pendingTtlMs ?? 24 * 3_600_000, this.ttl * 2);
    this.prefix = options.prefix ?? "changegate";
    this.log = options.log ?? silent;
    this.owned = typeof redis === "string";
    this.redis = typeof redis === "string" ? new Redis(redis) : redis;
    if (this.owned) {
      this.redis.on("error", (error: Error) =>
        this.log.error({ reason: error.message }, "Redis connection error"),
      );
    }
    const define = (name: keyof Scripts, numberOfKeys: number, lua: string): void => {
      if (!(name in this.redis)) this.redis.defineCommand(name, { numberOfKeys, lua });
    };
    define("changegateEnqueue", 2, ENQUEUE);
    define("changegateTake", 2, TAKE);
    define("changegateReleaseIfDone", 2, RELEASE_IF_DONE);
    define("changegateRenew", 1, RENEW);
    define("changegateRelease", 1, RELEASE);
    define("changegateSettle", 1, SETTLE);
    this.scripts = this.redis as unknown as Scripts;
  }

  /** The Redis keys of one pull request (tests and operators inspect them). */
  keys(key: string): { lock: string; pending: string } {
    return {
      lock: `${this.prefix}:{${key}}:lock`,
      pending: `${this.prefix}:{${key}}:pending`,
    };
  }

  enqueue(key: string, request: T, merge: Merge<T> = (_previous, next) => next): Promise<void> {
    const task = this.submit(key, request, merge).catch((error: unknown) => {
      this.log.error(
        { key, reason: error instanceof Error ? error.message : String(error) },
        "could not coordinate the evaluation through Redis",
      );
    });
    this.all.add(task);
    void task.finally(() => this.all.delete(task));
    return task;
  }

  async idle(): Promise<void> {
    while (this.all.size > 0) await Promise.allSettled([...this.all]);
  }

  /** SET NX PX: the first replica to ask holds the lease until it expires. */
  async lease(name: string, ttlMs: number): Promise<boolean> {
    const key = `${this.prefix}:lease:${name}`;
    return (
      (await this.redis.set(key, this.owner, "PX", Math.max(1, Math.round(ttlMs)), "NX")) === "OK"
    );
  }

  /**
   * Pull requests due at an instant, in one sorted set (`<prefix>:timed`: member the entry's JSON,
   * score the instant in ms). Taking reads the due members and removes each with ZREM: only the
   * replica whose ZREM removed a member evaluates it, so a window that opens is swept once.
   */
  timedStore<E>(): TimedStore<E> {
    return this.dueStore<E>(`${this.prefix}:timed`);
  }

  /**
   * Evaluations not known to have finished, in the sorted set `<prefix>:unfinished` (member the
   * pull request's entry, score when it is due for recovery); settling removes a member only when
   * its score is not past the given one, in one script.
   */
  unfinishedStore<E>(): UnfinishedStore<E> {
    const key = `${this.prefix}:unfinished`;
    return {
      ...this.dueStore<E>(key),
      settle: async (entry, dueBy) => {
        await this.scripts.changegateSettle(key, entryKey(entry), Math.round(dueBy));
      },
    };
  }

  /** A sorted set of entries due at an instant (member the entry's JSON, score the instant in ms). */
  private dueStore<E>(key: string): TimedStore<E> {
    const redis = this.redis;
    return {
      due: async (entry, dueAt) => {
        await redis.zadd(key, Math.round(dueAt), entryKey(entry));
      },
      clear: async (entry) => {
        await redis.zrem(key, entryKey(entry));
      },
      take: async (now) => {
        const due = await redis.zrangebyscore(key, "-inf", Math.floor(now), "LIMIT", 0, 500);
        const taken: E[] = [];
        for (const member of due)
          if ((await redis.zrem(key, member)) === 1) taken.push(JSON.parse(member) as E);
        return taken;
      },
    };
  }

  async close(): Promise<void> {
    await this.idle();
    if (!this.owned) return;
    // QUIT waits for a reconnection when Redis is down: give it a moment, then cut the socket.
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref());
    await Promise.race([this.redis.quit().catch(() => undefined), grace]);
    this.redis.disconnect();
  }

  private async submit(key: string, request: T, merge: Merge<T>): Promise<void> {
    const { lock, pending } = this.keys(key);
    const token = `${this.owner}:${randomUUID()}`;
    const payload = JSON.stringify(request);
    const acquired = await this.scripts.changegateEnqueue(
      pending,
      lock,
      payload,
      token,
      this.ttl,
      this.pendingTtl,
    );
    if (acquired !== 1) {
      this.stats.deferred++; // the holder takes our request from the pending list
      return;
    }
    this.stats.acquired++;
    await this.hold(key, lock, pending, token, merge);
  }

  /** Holds the lock: evaluates the pending requests until none is left, then releases. */
  private async hold(
    key: string,
    lock: string,
    pending: string,
    token: string,
    merge: Merge<T>,
  ): Promise<void> {
    let lost = false;
    let finished = false;
    const loseLock = (): void => {
      if (lost || finished) return;
      lost = true;
      this.stats.lost++;
      this.log.warn({ key }, "lost the per-PR lock (expired or taken over)");
    };
    const renew = setInterval(
      () => {
        this.scripts.changegateRenew(lock, token, this.ttl).then(
          (renewed) => {
            if (renewed !== 1) loseLock();
          },
          (error: unknown) =>
            this.log.error({ key, reason: String(error) }, "could not renew the per-PR lock"),
        );
      },
      Math.max(10, Math.floor(this.ttl / 3)),
    );
    renew.unref();
    // Our lock expired (a pause longer than its TTL) or another replica holds it now. Take it
    // back only when it is free, so that pending requests are not stranded; otherwise the new
    // holder evaluates them.
    const reclaim = async (): Promise<boolean> => {
      loseLock();
      const taken = await this.redis.set(lock, token, "PX", this.ttl, "NX");
      if (taken !== "OK") return false;
      lost = false;
      return true;
    };
    try {
      for (;;) {
        const items = await this.scripts.changegateTake(lock, pending, token);
        if (items === null) {
          if (await reclaim()) continue;
          return;
        }
        if (items.length > 0) {
          const request = items
            .map((item) => JSON.parse(item) as T)
            .reduce((previous, next) => merge(previous, next));
          this.stats.runs++;
          try {
            await this.run(key, request);
          } catch (error) {
            this.log.error({ key, reason: String(error) }, "evaluation failed");
          }
        }
        await this.settle(pending);
        const released = await this.scripts.changegateReleaseIfDone(lock, pending, token);
        if (released === 1) return;
        if (released === -1 && !(await reclaim())) return;
      }
    } catch (error) {
      // Redis failed mid-way: free the lock if we still can, or let its TTL do it.
      await this.scripts.changegateRelease(lock, token).catch(() => 0);
      throw error;
    } finally {
      finished = true; // a renewal answered after the release is not a lost lock
      clearInterval(renew);
    }
  }

  /** While requests keep arriving for the PR, wait for a quiet `settleMs` (at most `maxSettleMs`). */
  private async settle(pending: string): Promise<void> {
    if (this.settleMs <= 0) return;
    const deadline = Date.now() + this.maxSettleMs;
    let seen = await this.redis.llen(pending);
    while (seen > 0 && Date.now() < deadline) {
      await sleep(Math.min(this.settleMs, deadline - Date.now()));
      const now = await this.redis.llen(pending);
      if (now === seen) return;
      seen = now;
    }
  }
}
