import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

/**
 * The Redis the scale tests use. `.ci/run` starts one and sets the variable; without it the tests
 * are skipped with a message locally, and fail in CI (CI=true), where they must run.
 */
export const REDIS_URL = process.env.CHANGEGATE_TEST_REDIS_URL ?? "";

if (!REDIS_URL) {
  const message =
    "CHANGEGATE_TEST_REDIS_URL is not set: the Redis scale tests are skipped (start redis-server and set it, as .ci/run does)";
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}

/** A key prefix of its own for each test, so tests never see each other's keys. */
export const uniquePrefix = (): string => `changegate-test-${randomUUID()}`;

export const connect = (): Redis => new Redis(REDIS_URL, { lazyConnect: false });

/** Every key under a prefix (SCAN, not KEYS). */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== "0");
  return found.sort();
}
