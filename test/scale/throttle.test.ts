import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../tools/demo/stack.js";
import { check, openPull, seedRepo } from "../e2e/fixture.js";
import { connect, keysUnder, REDIS_URL } from "./redis.js";

/** Bottleneck's keys for Octokit's throttling groups (`b_<group>-<id>_settings`, ...). */
async function bottleneckKeys(redis: Redis): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", "b_octokit-*", "COUNT", 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== "0");
  return found;
}

describe.skipIf(!REDIS_URL)("Probot's cluster-wide throttling with REDIS_URL", () => {
  let stack: LocalStack;
  let probe: Redis;
  beforeAll(async () => {
    probe = connect();
    // Retries and throttling on, as in production: Probot gives Octokit's throttling plugin a
    // Bottleneck connected to this Redis (redisConfig), shared by every replica.
    stack = await startLocalStack({ redisUrl: REDIS_URL, retries: true });
  });
  afterAll(async () => {
    await stack?.close();
    await probe?.quit();
  });

  it("keeps the write limiter's state in Redis while the App evaluates a PR through its Redis coordinator", async () => {
    const repo = seedRepo(stack);
    const number = await openPull(stack, repo);
    expect(check(stack, repo, number).run).toMatchObject({
      status: "completed",
      conclusion: "failure",
    });
    const keys = await bottleneckKeys(probe);
    expect(keys.some((key) => key.startsWith("b_octokit-write-"))).toBe(true);
    // The same URL made the App coordinate through Redis, and it left no lock or pending request.
    expect(await keysUnder(probe, "changegate")).toEqual([]);
    expect(stack.github.violations).toEqual([]);
  });
});
