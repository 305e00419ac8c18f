import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCoordinator } from "../../src/github/coordination/index.js";
import { RedisCoordinator } from "../../src/github/coordination/redis-coordinator.js";
import { connect, keysUnder, REDIS_URL, uniquePrefix } from "./redis.js";

type Job = { readonly events: readonly string[] };
const job = (event: string): Job => ({ events: [event] });
const concat = (previous: Job, next: Job): Job => ({
  events: [...previous.events, ...next.events],
});

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** A runner that records what it ran and how many ran at once, waiting on `hold` when set. */
function recorder() {
  const runs: { replica: string; events: readonly string[] }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const runner =
    (replica: string, hold?: () => Promise<void>) =>
    async (_key: string, request: Job): Promise<void> => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      runs.push({ replica, events: request.events });
      try {
        await (hold ? hold() : sleep(20));
      } finally {
        inFlight--;
      }
    };
  return { runs, runner, maxInFlight: () => maxInFlight };
}

const clients: Redis[] = [];
const client = (): Redis => {
  const redis = connect();
  clients.push(redis);
  return redis;
};

describe.skipIf(!REDIS_URL)("RedisCoordinator (a real redis-server)", () => {
  let probe: Redis;
  beforeAll(() => {
    probe = client();
  });
  afterAll(async () => {
    await Promise.all(clients.map((redis) => redis.quit().catch(() => redis.disconnect())));
  });

  it("runs the first request, coalesces a burst into one more run, and leaves no key behind", async () => {
    const prefix = uniquePrefix();
    const first = gate();
    const { runs, runner } = recorder();
    let calls = 0;
    const coordinator = new RedisCoordinator<Job>(
      client(),
      runner("a", () => (++calls === 1 ? first.wait : sleep(5))),
      { prefix },
    );
    const done = coordinator.enqueue("pr#1", job("opened"), concat);
    while (coordinator.stats.runs === 0) await sleep(5); // the first evaluation holds the lock
    expect(await probe.get(coordinator.keys("pr#1").lock)).toMatch(/:/);
    await Promise.all(
      ["push-1", "push-2", "review"].map((e) => coordinator.enqueue("pr#1", job(e), concat)),
    );
    expect(coordinator.stats).toMatchObject({ acquired: 1, deferred: 3, runs: 1 });
    expect(await probe.lrange(coordinator.keys("pr#1").pending, 0, -1)).toHaveLength(3);

    first.open();
    await done;
    await coordinator.idle();
    expect(runs.map((run) => run.events)).toEqual([["opened"], ["push-1", "push-2", "review"]]);
    expect(await keysUnder(probe, prefix)).toEqual([]);
  });

  it("never runs one key on two replicas at once, and the last request is always evaluated", async () => {
    const prefix = uniquePrefix();
    const { runs, runner, maxInFlight } = recorder();
    const replicas = ["a", "b", "c"].map(
      (name) => new RedisCoordinator<Job>(client(), runner(name), { prefix }),
    );
    const events = Array.from({ length: 30 }, (_, i) => `event-${i}`);
    await Promise.all(
      events.map(async (event, i) => {
        await sleep(i * 3);
        await replicas[i % replicas.length]!.enqueue("pr#7", job(event), concat);
      }),
    );
    await Promise.all(replicas.map((replica) => replica.idle()));

    expect(maxInFlight()).toBe(1);
    // Every request is covered by exactly one run, and the burst was coalesced.
    expect(runs.flatMap((run) => run.events).sort()).toEqual([...events].sort());
    expect(runs.length).toBeLessThan(events.length);
    const stats = replicas.map((replica) => replica.stats);
    expect(stats.reduce((sum, s) => sum + s.acquired + s.deferred, 0)).toBe(events.length);
    expect(stats.reduce((sum, s) => sum + s.deferred, 0)).toBeGreaterThan(0);
    expect(await keysUnder(probe, prefix)).toEqual([]);
  });

  it("keeps the lock past its TTL while the holder runs (renewal)", async () => {
    const prefix = uniquePrefix();
    const { runs, runner, maxInFlight } = recorder();
    let calls = 0;
    const slow = new RedisCoordinator<Job>(
      client(),
      runner("slow", () => (++calls === 1 ? sleep(1_000) : sleep(5))),
      { prefix, lockTtlMs: 300 },
    );
    const other = new RedisCoordinator<Job>(client(), runner("other"), { prefix, lockTtlMs: 300 });
    const done = slow.enqueue("pr#2", job("opened"), concat);
    while (slow.stats.runs === 0) await sleep(5);
    await sleep(700); // well past the TTL: renewed, so still held
    await other.enqueue("pr#2", job("push"), concat);
    expect(other.stats).toMatchObject({ acquired: 0, deferred: 1 });
    await done;
    expect(maxInFlight()).toBe(1);
    expect(runs).toEqual([
      { replica: "slow", events: ["opened"] },
      { replica: "slow", events: ["push"] },
    ]);
    expect(slow.stats.lost).toBe(0);
    expect(await keysUnder(probe, prefix)).toEqual([]);
  });

  it("frees the lock through its TTL when the holder dies, and the next replica takes the pending work", async () => {
    const prefix = uniquePrefix();
    const { runs, runner } = recorder();
    const doomedClient = client();
    const never = new Promise<void>(() => {});
    const doomed = new RedisCoordinator<Job>(
      doomedClient,
      runner("doomed", () => never),
      {
        prefix,
        lockTtlMs: 300,
      },
    );
    const survivor = new RedisCoordinator<Job>(client(), runner("survivor"), {
      prefix,
      lockTtlMs: 300,
    });
    void doomed.enqueue("pr#3", job("opened"), concat);
    while (doomed.stats.runs === 0) await sleep(5);
    doomedClient.disconnect(); // the replica dies mid-evaluation: no renewal, no release

    await survivor.enqueue("pr#3", job("push-1"), concat); // lock still held: recorded as pending
    expect(survivor.stats).toMatchObject({ acquired: 0, deferred: 1, runs: 0 });
    expect(await probe.exists(survivor.keys("pr#3").lock)).toBe(1);

    await sleep(400); // the TTL runs out
    expect(await probe.exists(survivor.keys("pr#3").lock)).toBe(0);
    await survivor.enqueue("pr#3", job("push-2"), concat);
    expect(runs).toEqual([
      { replica: "doomed", events: ["opened"] },
      { replica: "survivor", events: ["push-1", "push-2"] },
    ]);
    expect(await keysUnder(probe, prefix)).toEqual([]);
  });

  it("does not release a lock it lost to another replica (compare-and-delete)", async () => {
    const prefix = uniquePrefix();
    const release = gate();
    const { runner } = recorder();
    const coordinator = new RedisCoordinator<Job>(
      client(),
      runner("a", () => release.wait),
      {
        prefix,
      },
    );
    const { lock } = coordinator.keys("pr#4");
    const done = coordinator.enqueue("pr#4", job("opened"));
    while (coordinator.stats.runs === 0) await sleep(5);
    await probe.set(lock, "another-replica", "PX", 10_000); // as if ours expired and b took it
    release.open();
    await done;
    expect(await probe.get(lock)).toBe("another-replica");
    expect(coordinator.stats.lost).toBe(1);
    await probe.del(lock);
  });

  it("takes its expired lock back when nobody else did, so pending requests are not stranded", async () => {
    const prefix = uniquePrefix();
    const release = gate();
    const { runs, runner } = recorder();
    let calls = 0;
    const holder = new RedisCoordinator<Job>(
      client(),
      runner("holder", () => (++calls === 1 ? release.wait : sleep(5))),
      { prefix },
    );
    const other = new RedisCoordinator<Job>(client(), runner("other"), { prefix });
    const done = holder.enqueue("pr#6", job("opened"), concat);
    while (holder.stats.runs === 0) await sleep(5);
    await other.enqueue("pr#6", job("push"), concat); // deferred to the holder
    await probe.del(holder.keys("pr#6").lock); // the holder's lock expires (a long pause)
    release.open();
    await done;
    expect(runs).toEqual([
      { replica: "holder", events: ["opened"] },
      { replica: "holder", events: ["push"] },
    ]);
    expect(holder.stats.lost).toBe(1);
    expect(await keysUnder(probe, prefix)).toEqual([]);
  });

  it("keeps going after a failed evaluation, and logs instead of rejecting when Redis is unreachable", async () => {
    const prefix = uniquePrefix();
    const errors: string[] = [];
    const log = {
      warn: () => {},
      error: (_obj: object, msg?: string) => void errors.push(msg ?? ""),
    };
    const seen: string[][] = [];
    const started = gate();
    let calls = 0;
    const coordinator = new RedisCoordinator<Job>(
      client(),
      async (_key, request) => {
        seen.push([...request.events]);
        if (++calls === 1) {
          started.open();
          await sleep(50);
          throw new Error("boom");
        }
      },
      { prefix, log },
    );
    const first = coordinator.enqueue("pr#5", job("opened"), concat);
    await started.wait;
    await coordinator.enqueue("pr#5", job("push"), concat);
    await first;
    expect(seen).toEqual([["opened"], ["push"]]);
    expect(errors).toEqual(["evaluation failed"]);

    const { Redis } = await import("ioredis");
    const down = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const offline = new RedisCoordinator<Job>(down, async () => {}, { prefix, log });
    await expect(offline.enqueue("pr#5", job("push"))).resolves.toBeUndefined();
    expect(errors).toContain("could not coordinate the evaluation through Redis");
    down.disconnect();
  });

  it("is what createCoordinator picks when a Redis URL is given, and the in-process queue otherwise", async () => {
    const log = { warn: () => {}, error: () => {} };
    const redis = createCoordinator<Job>(async () => {}, { redisUrl: REDIS_URL, log });
    const local = createCoordinator<Job>(async () => {}, { log });
    expect(redis).toBeInstanceOf(RedisCoordinator);
    expect(local).not.toBeInstanceOf(RedisCoordinator);
    await redis.close();
    await local.close();
  });
});
