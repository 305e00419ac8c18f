import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../tools/demo/stack.js";
import { startEmulator, type Emulator } from "@changegate/github-emulator";
import type { QueuedWork } from "../../src/github/app.js";
import {
  createCoordinator,
  type Coordinator,
  type CoordinatorFactory,
} from "../../src/github/coordination/index.js";
import { RedisCoordinator } from "../../src/github/coordination/redis-coordinator.js";
import { AFTER, check, PLANS, seedRepo, sticky } from "../e2e/fixture.js";
import { startBalancer, type Balancer } from "./balancer.js";
import { connect, keysUnder, REDIS_URL, uniquePrefix } from "./redis.js";

type Span = { replica: string; start: number; end: number; reason: string };

describe.skipIf(!REDIS_URL)("two App replicas behind a load balancer, sharing one Redis", () => {
  const prefix = uniquePrefix();
  const spans: Span[] = [];
  const coordinators = new Map<string, Coordinator<QueuedWork>>();
  let maxInFlight = 0;
  let github: Emulator;
  const replicas: LocalStack[] = [];
  let balancer: Balancer;
  let probe: Redis;

  /**
   * The App's own coordinator (createCoordinator with the Redis URL, as with REDIS_URL), around a
   * runner that counts evaluations in flight per PR in a Redis counter shared by both replicas
   * and records when each evaluation ran.
   */
  const instrumented =
    (replica: string): CoordinatorFactory<QueuedWork> =>
    (run) => {
      const log = {
        warn: (obj: object, msg?: string) => console.warn(replica, msg, obj),
        error: (obj: object, msg?: string) => console.error(replica, msg, obj),
      };
      const coordinator = createCoordinator<QueuedWork>(
        async (key, job) => {
          const counter = `${prefix}-probe:in-flight:${key}`;
          maxInFlight = Math.max(maxInFlight, await probe.incr(counter));
          const start = performance.now();
          try {
            await run(key, job);
          } finally {
            spans.push({
              replica,
              start,
              end: performance.now(),
              reason: job.request?.reason ?? "commands",
            });
            await probe.decr(counter);
          }
        },
        { redisUrl: REDIS_URL, prefix, log },
      );
      coordinators.set(replica, coordinator);
      return coordinator;
    };

  /** Both replicas idle and no lock or pending request left in Redis. */
  async function settle(): Promise<void> {
    for (;;) {
      await github.settle();
      for (const replica of replicas) await replica.idle();
      if ((await keysUnder(probe, prefix)).length === 0) return;
      await sleep(20);
    }
  }

  const stats = () =>
    [...coordinators.values()].map(
      (coordinator) => (coordinator as RedisCoordinator<QueuedWork>).stats,
    );

  beforeAll(async () => {
    probe = connect();
    github = await startEmulator({ webhookSecret: "changegate-demo-secret" });
    for (const name of ["a", "b"]) {
      replicas.push(
        await startLocalStack({
          github,
          webhookTarget: false,
          redisUrl: REDIS_URL,
          coordinator: instrumented(name),
        }),
      );
    }
    balancer = await startBalancer(replicas.map((replica) => replica.appUrl));
  });

  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await balancer?.close();
    await github?.close();
    for (const key of await keysUnder(probe, `${prefix}-probe`)) await probe.del(key);
    await probe?.quit();
  });

  it("spreads 20 concurrent deliveries for one PR over both replicas: one sticky comment, one check result on the latest head, no overlapping evaluations", async () => {
    expect([...coordinators.values()].every((c) => c instanceof RedisCoordinator)).toBe(true);
    const repo = seedRepo(replicas[0]!, { "infra/lb.tf": AFTER });
    // The PR exists before the burst, but its `opened` delivery only reaches the App within it.
    github.setWebhookTarget(undefined);
    const { number, delivery: opened } = await github.openPullRequest(repo, {
      head: "change",
      author: "alice",
      title: "LB maintenance",
      body: PLANS,
    });
    expect(github.comments(repo, number)).toEqual([]);
    github.setWebhookTarget(balancer.url);
    // Slow evaluations down so that the burst really contends for the PR's lock.
    github.injectFault({ operationId: "pulls/list-files", delayMs: 150, times: Infinity });

    // The calls change the emulator's state synchronously in this order (10 pushes, then the
    // approvals on the last head), and their deliveries all run at once.
    const burst: Promise<number[]>[] = [
      ...Array.from({ length: 10 }, (_, i) =>
        github
          .push(repo, "change", { [`docs/note-${i}.md`]: `Note ${i}.\n` }, "alice")
          .then(({ deliveries }) => deliveries.map((d) => d.status)),
      ),
      github
        .submitReview(repo, number, { user: "bob", state: "APPROVED" })
        .then(({ delivery }) => [delivery.status]),
      github
        .submitReview(repo, number, { user: "carol", state: "APPROVED" })
        .then(({ delivery }) => [delivery.status]),
      github
        .comment(repo, number, "/changegate recheck", "mia")
        .then(({ delivery }) => [delivery.status]),
      github.addLabel(repo, number, "infra", "alice").then((delivery) => [delivery.status]),
      ...Array.from({ length: 6 }, () =>
        github.redeliver(opened.deliveryId).then((delivery) => [delivery.status]),
      ),
    ];
    const statuses = (await Promise.all(burst)).flat();
    await settle();
    github.clearFaults();

    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    expect(balancer.forwarded).toEqual([10, 10]);

    // Exactly one sticky comment, created once.
    expect(sticky(replicas[0]!, repo, number)).toHaveLength(1);
    const created = github
      .writes()
      .filter(
        (r) => r.operationId === "issues/create-comment" && r.path.endsWith(`/${number}/comments`),
      );
    expect(created).toHaveLength(1);

    // Exactly one check run on the latest head, completed, reflecting the approvals.
    const head = github.pull(repo, number).head.sha;
    const { count, run } = check(replicas[0]!, repo, number);
    expect(count).toBe(1);
    expect(run).toMatchObject({ headSha: head, status: "completed", conclusion: "success" });
    expect(run!.output.title).toBe("High risk — all requirements met");

    // No two evaluations of the PR overlapped, by the shared counter and by the timeline.
    expect(maxInFlight).toBe(1);
    const timeline = [...spans].sort((x, y) => x.start - y.start);
    for (let i = 1; i < timeline.length; i++) {
      expect(timeline[i]!.start).toBeGreaterThanOrEqual(timeline[i - 1]!.end);
    }
    // The burst was coalesced: every delivery was either evaluated or handed to the holder.
    const all = stats();
    expect(all.reduce((sum, s) => sum + s.acquired + s.deferred, 0)).toBe(20);
    expect(all.reduce((sum, s) => sum + s.deferred, 0)).toBeGreaterThan(0);
    expect(spans.length).toBeLessThan(20);
    expect(all.every((s) => s.lost === 0)).toBe(true);
    expect(await keysUnder(probe, prefix)).toEqual([]);
    expect(github.violations).toEqual([]);
    console.info(
      `replicas: ${spans.length} evaluations for 20 deliveries; per replica ${JSON.stringify(all)}`,
    );

    // Then one delivery to each replica in turn: each finds and edits the same sticky comment.
    spans.length = 0;
    await github.editPullRequest(repo, number, { title: "LB maintenance (a)" }, "alice");
    await settle();
    await github.submitReview(repo, number, {
      user: "bob",
      state: "CHANGES_REQUESTED",
      body: "Wait for the freeze to end.",
    });
    await settle();
    expect(spans.map((span) => span.replica)).toEqual(["a", "b"]);
    expect(sticky(replicas[0]!, repo, number)).toHaveLength(1);
    expect(check(replicas[0]!, repo, number)).toMatchObject({
      count: 1,
      run: { status: "completed", conclusion: "failure" },
    });
    expect(github.violations).toEqual([]);
  });
});
