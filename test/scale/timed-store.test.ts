// The timed store of pull requests held by a change window (src/github/coordination/timed.ts):
// in memory for one process, a sorted set in Redis shared by replicas, where each due entry is
// taken by one replica only.
import { describe, expect, it } from "vitest";
import {
  MemoryTimedStore,
  type TimedStore,
  type UnfinishedStore,
} from "../../src/github/coordination/index.js";
import { PullQueue } from "../../src/github/coordination/queue.js";
import { RedisCoordinator } from "../../src/github/coordination/redis-coordinator.js";
import { timedEntry, type TimedEntry } from "../../src/github/timed-sweep.js";
import { connect, keysUnder, REDIS_URL, uniquePrefix } from "./redis.js";

const pr = (number: number): TimedEntry => timedEntry(7, { owner: "acme", repo: "web", number });

/** What every store must do, whichever holds the entries. */
async function behaves(store: TimedStore<TimedEntry>): Promise<void> {
  await store.due(pr(1), 1_000);
  await store.due(pr(2), 2_000);
  await store.due(pr(3), 3_000);
  // Recording a PR again moves its time; clearing forgets it.
  await store.due(pr(1), 2_500);
  await store.clear(pr(3));
  expect(await store.take(999)).toEqual([]);
  expect(await store.take(2_000)).toEqual([pr(2)]);
  expect(await store.take(2_000)).toEqual([]);
  expect(await store.take(10_000)).toEqual([pr(1)]);
  expect(await store.take(10_000)).toEqual([]);
}

/**
 * The store of unfinished evaluations: an evaluation settles what was asked before it started,
 * never a request recorded again since (it waits for an evaluation of its own).
 */
async function settles(store: UnfinishedStore<TimedEntry>): Promise<void> {
  const after = 600_000; // due ten minutes after it was asked for
  await store.due(pr(1), 1_000 + after); // asked at 1 s
  await store.due(pr(2), 1_000 + after);
  await store.settle(pr(1), 1_000 + after); // an evaluation that started at 1 s ended
  await store.due(pr(2), 5_000 + after); // asked again at 5 s, while one that started at 2 s ran
  await store.settle(pr(2), 2_000 + after); // that one ended: pr(2) still waits
  await store.settle(pr(3), 9_000 + after); // nothing asked: nothing to settle
  expect(await store.take(1_000 + after)).toEqual([]);
  expect(await store.take(5_000 + after)).toEqual([pr(2)]);
  await store.due(pr(4), 7_000 + after);
  await store.settle(pr(4), 7_000 + after); // started in the same millisecond: settled
  expect(await store.take(Infinity)).toEqual([]);
}

describe("the in-memory timed store", () => {
  it("keeps one entry per PR, moves and clears it, and gives each due entry once", async () => {
    await behaves(new MemoryTimedStore<TimedEntry>());
  });

  it("is one store per PullQueue", () => {
    const queue = new PullQueue<unknown>(async () => {});
    expect(queue.timedStore()).toBe(queue.timedStore());
  });
});

describe.skipIf(!REDIS_URL)("the Redis timed store (a real redis-server)", () => {
  it("keeps one entry per PR in a sorted set, moves and clears it, and gives each due entry once", async () => {
    const prefix = uniquePrefix();
    const coordinator = new RedisCoordinator<unknown>(REDIS_URL, async () => {}, { prefix });
    try {
      await behaves(coordinator.timedStore<TimedEntry>());
      const redis = connect();
      try {
        await coordinator.timedStore<TimedEntry>().due(pr(4), 5_000);
        expect(await keysUnder(redis, prefix)).toEqual([`${prefix}:timed`]);
        expect(await redis.zscore(`${prefix}:timed`, JSON.stringify(pr(4)))).toBe("5000");
      } finally {
        redis.disconnect();
      }
    } finally {
      await coordinator.close();
    }
  });

  it("keeps unfinished evaluations in a sorted set of their own, settling only what was asked before the evaluation started", async () => {
    const prefix = uniquePrefix();
    const coordinator = new RedisCoordinator<unknown>(REDIS_URL, async () => {}, { prefix });
    const redis = connect();
    try {
      await settles(coordinator.unfinishedStore<TimedEntry>());
      await coordinator.unfinishedStore<TimedEntry>().due(pr(5), 5_000);
      await coordinator.timedStore<TimedEntry>().due(pr(5), 9_000);
      expect(await keysUnder(redis, prefix)).toEqual([`${prefix}:timed`, `${prefix}:unfinished`]);
      await coordinator.unfinishedStore<TimedEntry>().settle(pr(5), 5_000);
      expect(await keysUnder(redis, prefix)).toEqual([`${prefix}:timed`]);
    } finally {
      redis.disconnect();
      await coordinator.close();
    }
  });

  it("gives a due entry to one replica only when two sweep at once", async () => {
    const prefix = uniquePrefix();
    const replicas = [0, 1].map(
      () => new RedisCoordinator<unknown>(REDIS_URL, async () => {}, { prefix }),
    );
    try {
      const stores = replicas.map((replica) => replica.timedStore<TimedEntry>());
      for (let number = 1; number <= 50; number++) await stores[0]!.due(pr(number), number);
      const [a, b] = await Promise.all(stores.map((store) => store.take(100)));
      const numbers = [...a!, ...b!].map((entry) => entry.number).sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });
});
