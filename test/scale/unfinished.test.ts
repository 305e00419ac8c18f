// Evaluations a dead replica took with it (src/github/recovery.ts, docs/deployment.md "What the
// recovery sweep costs"): with Redis the App records each evaluation asked for and settles it when
// one that started after it ends, so the recovery sweep finds the lost ones in Redis and reads no
// pull request on GitHub.
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "@changegate/github-emulator";
import type { QueuedWork } from "../../src/github/app.js";
import { createCoordinator, type CoordinatorFactory } from "../../src/github/coordination/index.js";
import { timedEntry } from "../../src/github/timed-sweep.js";
import { startLocalStack, type LocalStack } from "../../tools/demo/stack.js";
import { check, seedRepo } from "../e2e/fixture.js";
import { connect, keysUnder, REDIS_URL, uniquePrefix } from "./redis.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.skipIf(!REDIS_URL)("evaluations a replica took with it when it died (Redis)", () => {
  const prefix = uniquePrefix();
  const unfinishedKey = `${prefix}:unfinished`;
  let github: Emulator;
  let stack: LocalStack;
  let redis: Redis;
  /** PR numbers whose next evaluation is dropped, as by a replica killed while running it. */
  const killNext = new Set<number>();

  /** The App's own Redis coordinator, around a runner that loses the marked PRs' work. */
  const killing: CoordinatorFactory<QueuedWork> = (run) =>
    createCoordinator<QueuedWork>(
      async (key, work) => {
        if (killNext.delete(work.locator.number)) return; // the replica died: nothing ran
        await run(key, work);
      },
      { redisUrl: REDIS_URL, prefix, log: { warn: () => {}, error: () => {} } },
    );

  beforeAll(async () => {
    github = await startEmulator({ webhookSecret: "changegate-demo-secret" });
    stack = await startLocalStack({
      github,
      logLevel: "fatal",
      redisUrl: REDIS_URL,
      coordinator: killing,
    });
    redis = connect();
  });

  afterAll(async () => {
    await stack?.close();
    await github?.close();
    const keys = redis ? await keysUnder(redis, prefix) : [];
    if (keys.length > 0) await redis.del(...keys);
    redis?.disconnect();
  });

  const pending = async (): Promise<string[]> => redis.zrange(unfinishedKey, 0, -1);
  /** The interval's recovery lease let go, as when the next interval comes. */
  const nextInterval = async (): Promise<void> => {
    await redis.del(`${prefix}:lease:recovery`);
  };

  async function open(repo: string): Promise<number> {
    const { number } = await github.openPullRequest(repo, {
      head: "change",
      author: "alice",
      body: "Routine maintenance.",
    });
    await stack.idle();
    return number;
  }

  it("settles every evaluation that finished: nothing is left for recovery", async () => {
    const repo = seedRepo(stack);
    const number = await open(repo);
    await github.comment(repo, number, "/changegate recheck", "bob");
    await stack.idle();
    expect(check(stack, repo, number).run?.status).toBe("completed");
    expect(await pending()).toEqual([]);
  });

  it("re-evaluates a lost evaluation once it is due, without reading any pull request to find it", async () => {
    const bystander = seedRepo(stack);
    await open(bystander); // evaluated and finished: nothing makes the sweep look at it
    const repo = seedRepo(stack);
    killNext.add(1);
    const number = await open(repo);
    expect(number).toBe(1);
    // The delivery was answered and the work taken, but nothing ran: no check, the entry stays.
    expect(check(stack, repo, number).run).toBeUndefined();
    const [owner, name] = repo.split("/") as [string, string];
    const installationId = JSON.parse((await pending())[0]!).installationId as number;
    expect(await pending()).toEqual([
      JSON.stringify(timedEntry(installationId, { owner, repo: name, number })),
    ]);
    const score = Number(await redis.zscore(unfinishedKey, (await pending())[0]!));
    expect(score).toBeGreaterThan(Date.now() + 9 * MINUTE); // due ten minutes after it was asked for

    const manual = { initialDelayMs: HOUR, intervalMs: HOUR } as const;
    // Five minutes on: not due yet (a long evaluation may still be running).
    const early = stack.app.startRecovery({ ...manual, now: () => Date.now() + 5 * MINUTE })!;
    expect(await early.sweep()).toMatchObject({ errors: [], reevaluated: [] });
    expect(await pending()).toHaveLength(1);

    await nextInterval();
    const mark = github.mark();
    const recovery = stack.app.startRecovery({ ...manual, now: () => Date.now() + 11 * MINUTE })!;
    const report = await recovery.sweep();
    expect(report).toMatchObject({
      errors: [],
      lookedUp: 0,
      reevaluated: [{ owner, repo: name, number }],
    });
    await stack.idle();
    expect(check(stack, repo, number)).toMatchObject({
      count: 1,
      run: { status: "completed", conclusion: "failure" },
    });
    expect(await pending()).toEqual([]);
    // The sweep listed no repository and looked at no other pull request: what reached GitHub
    // beside the App's own endpoints was the evaluation it queued.
    const swept = github.since(mark).filter((request) => !request.path.startsWith("/app/"));
    expect(swept.length).toBeGreaterThan(0);
    expect(swept.filter((request) => request.path.startsWith("/installation/"))).toEqual([]);
    expect(swept.filter((request) => request.path.includes(`/${bystander}/`))).toEqual([]);
  });

  it("finds a lost re-evaluation of a PR whose earlier evaluations finished", async () => {
    const repo = seedRepo(stack);
    const number = await open(repo);
    // The next evaluation is lost: the one before it had settled only what was asked before it.
    killNext.add(number);
    await github.comment(repo, number, "/changegate recheck", "bob");
    await stack.idle();
    expect(await pending()).toHaveLength(1);
    await nextInterval();
    const recovery = stack.app.startRecovery({
      initialDelayMs: HOUR,
      intervalMs: HOUR,
      now: () => Date.now() + 11 * MINUTE,
    })!;
    expect((await recovery.sweep()).reevaluated).toHaveLength(1);
    await stack.idle();
    expect(await pending()).toEqual([]);
    stack.app.startRecovery(false);
  });
});
