import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../tools/demo/stack.js";
import { check, openPull, PLANS, seedRepo, sticky } from "./fixture.js";

// Who counts, end to end (docs/security.md, "Who counts"): reviews on commits GitHub no longer
// has, co-authors, "Update branch" merges, pushers.

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  expect(stack.github.violations).toEqual([]);
});

/** A commit GitHub garbage-collected: its reviews answer `commit_id: null`. */
const GONE = "f".repeat(40);

describe("reviews on a garbage-collected commit", () => {
  it("keeps a writer's request for changes on a commit GitHub no longer has: it blocks", async () => {
    const repo = seedRepo(stack);
    const number = await openPull(stack, repo, PLANS);
    await stack.github.submitReview(repo, number, {
      user: "carol",
      state: "CHANGES_REQUESTED",
      commitId: GONE,
    });
    await stack.github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
    await stack.github.submitReview(repo, number, { user: "mia", state: "APPROVED" });
    await stack.idle();
    const { run } = check(stack, repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toContain("changes requested by @carol");
  });

  it("shows an approval on a commit GitHub no longer has as stale", async () => {
    const repo = seedRepo(stack);
    const number = await openPull(stack, repo, PLANS);
    await stack.github.submitReview(repo, number, {
      user: "carol",
      state: "APPROVED",
      commitId: GONE,
    });
    await stack.github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
    await stack.idle();
    expect(check(stack, repo, number).run!.output.title).toBe("High risk — 1 of 2 approvals");
    expect(sticky(stack, repo, number)[0]!.body).toMatch(
      /carol.*an unknown commit.*❌ .*no longer has/,
    );
  });
});
