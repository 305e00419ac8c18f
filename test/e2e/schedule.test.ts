// Issue 14's first done-when, through the real App and the emulator with an injected clock: a
// high-risk PR opened on a Friday evening under "no high risk outside Mon-Thu" is blocked with the
// next window named, and passes when the window opens, by the timed sweep alone (and fails again
// when the window closes); the sweep touches no other pull request.
import { describe, expect, it } from "vitest";
import { createCoordinator } from "../../src/github/coordination/index.js";
import type { QueuedWork } from "../../src/github/app.js";
import { connect, REDIS_URL, uniquePrefix } from "../scale/redis.js";
import type { LocalStack } from "../../tools/demo/stack.js";
import { approve, check, openPull, PLANS, seedRepo, seedWithPolicy, useStack } from "./fixture.js";

const POLICY = 'windows:\n  high: "Mon-Thu 09:00-16:00 Europe/Berlin"\n';
/** Friday 2026-12-04 18:30 in Berlin. */
const FRIDAY_EVENING = Date.parse("2026-12-04T17:30:00Z");
/** Monday 2026-12-07 09:00:30 in Berlin. */
const MONDAY_OPEN = Date.parse("2026-12-07T08:00:30Z");
/** Monday 2026-12-07 16:00:30 in Berlin: the window closed 30 s ago. */
const MONDAY_CLOSE = Date.parse("2026-12-07T15:00:30Z");

let clock = FRIDAY_EVENING;

/**
 * The requests since `mark` about `repo`: REST under /repos/{repo}/ and GraphQL queries whose
 * `$owner`/`$repo` name it. (`mark()`, not `reset()`: a reset would also clear the violations
 * that useStack asserts after the test.)
 */
function requestsAbout(stack: LocalStack, mark: number, repo: string) {
  const [owner, name] = repo.split("/");
  return stack.github.since(mark).filter((request) => {
    if (request.path.startsWith(`/repos/${repo}/`)) return true;
    const variables = (request.body as { variables?: Record<string, unknown> } | undefined)
      ?.variables;
    return variables?.owner === owner && variables?.repo === name;
  });
}

describe("change windows through the App", () => {
  const stack = useStack({ now: () => clock });

  it("blocks a Friday-evening high-risk PR naming Monday 09:00, and the sweep passes it when the window opens, touching no other PR", async () => {
    clock = FRIDAY_EVENING;
    const held = seedWithPolicy(stack(), POLICY);
    const heldNumber = await openPull(stack(), held, PLANS);
    await approve(stack(), held, heldNumber, "bob", "carol");
    const friday = check(stack(), held, heldNumber).run!;
    expect(friday).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(friday.output.title).toBe(
      "High risk — outside the change window until Monday 2026-12-07 09:00 Europe/Berlin",
    );
    expect(friday.output.summary).toContain(
      "opens Monday 2026-12-07 09:00 Europe/Berlin (08:00 UTC)",
    );

    // Another open PR in the same installation, failing on approvals only.
    const other = seedRepo(stack());
    const otherNumber = await openPull(stack(), other, PLANS);
    expect(check(stack(), other, otherNumber).run).toMatchObject({ conclusion: "failure" });

    // Before the window opens a sweep finds nothing due and asks GitHub nothing.
    let mark = stack().github.mark();
    clock = MONDAY_OPEN - 60_000;
    expect(await stack().app.sweepTimed()).toBe(0);
    await stack().idle();
    expect(stack().github.since(mark)).toEqual([]);

    mark = stack().github.mark();
    clock = MONDAY_OPEN;
    expect(await stack().app.sweepTimed()).toBe(1);
    await stack().idle();
    const monday = check(stack(), held, heldNumber).run!;
    expect(monday).toMatchObject({ status: "completed", conclusion: "success" });
    expect(monday.output.title).toBe("High risk — all requirements met");
    // The held PR was read (GraphQL) and written; the other one neither.
    expect(requestsAbout(stack(), mark, held).map((r) => r.operationId)).toContain("graphql");
    expect(requestsAbout(stack(), mark, other)).toEqual([]);
    expect(check(stack(), other, otherNumber).run).toMatchObject({ conclusion: "failure" });

    // Green until the window closes: a sweep before then has nothing to do.
    mark = stack().github.mark();
    clock = MONDAY_OPEN + 3_600_000;
    expect(await stack().app.sweepTimed()).toBe(0);
    await stack().idle();
    expect(stack().github.since(mark)).toEqual([]);

    // At 16:00 Berlin the window closes: the sweep evaluates the PR again, and its green check
    // does not outlive the window (a merge now would be outside it).
    mark = stack().github.mark();
    clock = MONDAY_CLOSE;
    expect(await stack().app.sweepTimed()).toBe(1);
    await stack().idle();
    const closed = check(stack(), held, heldNumber).run!;
    expect(closed).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(closed.output.title).toBe(
      "High risk — outside the change window until Tuesday 2026-12-08 09:00 Europe/Berlin",
    );
    expect(requestsAbout(stack(), mark, other)).toEqual([]);
  });

  it("an evaluation the sweep asked for that fails closed is tried again five minutes later", async () => {
    clock = FRIDAY_EVENING;
    const repo = seedWithPolicy(stack(), POLICY);
    const number = await openPull(stack(), repo, PLANS);
    await approve(stack(), repo, number, "bob", "carol");
    expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "failure" });
    // GitHub fails the snapshot's reads when the window opens (GraphQL, and the REST fallback's
    // reviews), not the pull request itself: the failure is written on the check.
    stack().github.injectFault({ path: /graphql/, status: 502 });
    stack().github.injectFault({ operationId: "pulls/list-reviews", status: 502 });
    clock = MONDAY_OPEN;
    expect(await stack().app.sweepTimed()).toBe(1);
    await stack().idle();
    const failed = check(stack(), repo, number).run!;
    expect(failed).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(failed.output.summary).toContain("502");
    stack().github.clearFaults();
    // Not due again before the retry, then evaluated and green.
    clock = MONDAY_OPEN + 4 * 60_000;
    expect(await stack().app.sweepTimed()).toBe(0);
    clock = MONDAY_OPEN + 5 * 60_000;
    expect(await stack().app.sweepTimed()).toBe(1);
    await stack().idle();
    expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "success" });
  });

  it("a later evaluation that is no longer held by time clears the PR's entry", async () => {
    clock = FRIDAY_EVENING;
    const repo = seedWithPolicy(stack(), POLICY);
    const number = await openPull(stack(), repo, PLANS);
    expect(check(stack(), repo, number).run!.output.title).toContain("outside the change window");
    // An emergency override by the admin: the verdict is green, nothing is due any more.
    await stack().github.addLabel(repo, number, "changegate:emergency", "mia");
    await stack().idle();
    expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "success" });
    clock = MONDAY_OPEN;
    const mark = stack().github.mark();
    expect(await stack().app.sweepTimed()).toBe(0);
    await stack().idle();
    expect(stack().github.since(mark)).toEqual([]);
  });
});

describe("closing a held PR", () => {
  const stack = useStack({ now: () => clock });

  it("clears its entry: the sweep has nothing to evaluate when the window opens", async () => {
    clock = FRIDAY_EVENING;
    const repo = seedWithPolicy(stack(), POLICY);
    const number = await openPull(stack(), repo, PLANS);
    expect(check(stack(), repo, number).run!.output.title).toContain("outside the change window");
    await stack().github.closePullRequest(repo, number, "alice");
    await stack().idle();
    clock = MONDAY_OPEN;
    const mark = stack().github.mark();
    expect(await stack().app.sweepTimed()).toBe(0);
    await stack().idle();
    expect(stack().github.since(mark)).toEqual([]);
  });
});

describe.skipIf(!REDIS_URL)(
  "change windows through the App with Redis (a real redis-server)",
  () => {
    const prefix = uniquePrefix();
    const stack = useStack({
      now: () => clock,
      coordinator: (run) =>
        createCoordinator<QueuedWork>(run, {
          redisUrl: REDIS_URL,
          prefix,
          settleMs: 20,
          log: { warn: () => {}, error: () => {} },
        }),
    });

    it("records the held PR in the sorted set and the sweep claims it when the window opens", async () => {
      clock = FRIDAY_EVENING;
      const repo = seedWithPolicy(stack(), POLICY);
      const number = await openPull(stack(), repo, PLANS);
      await approve(stack(), repo, number, "bob", "carol");
      const redis = connect();
      try {
        const due = await redis.zrange(`${prefix}:timed`, 0, -1, "WITHSCORES");
        expect(due).toHaveLength(2);
        expect(JSON.parse(due[0]!)).toMatchObject({ repo: repo.split("/")[1], number });
        expect(Number(due[1])).toBe(Date.parse("2026-12-07T08:00:00Z"));
        clock = MONDAY_OPEN;
        expect(await stack().app.sweepTimed()).toBe(1);
        await stack().idle();
        expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "success" });
        // Now due when the window closes, 16:00 Berlin.
        const closing = await redis.zrange(`${prefix}:timed`, 0, -1, "WITHSCORES");
        expect(closing).toHaveLength(2);
        expect(Number(closing[1])).toBe(Date.parse("2026-12-07T15:00:00Z"));
      } finally {
        redis.disconnect();
      }
    });
  },
);
