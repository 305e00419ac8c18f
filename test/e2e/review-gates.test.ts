import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../tools/demo/stack.js";
import { AFTER, check, openPull, PLANS, seedRepo, sticky } from "./fixture.js";

// Review of issue 10's gates, end to end (docs/security.md, "Who counts"): walk-arounds found in
// review, each through the App and the emulator, via GraphQL and via the REST fallback.

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  stack.github.clearFaults();
  expect(stack.github.violations).toEqual([]);
});

const LOADERS = [
  { via: "GraphQL", setUp: () => undefined },
  {
    via: "the REST fallback",
    setUp: () => stack.github.injectFault({ operationId: "graphql", status: 502, times: Infinity }),
  },
] as const;

describe.each(LOADERS)(
  '"Update branch" cannot carry a push of other commits, via $via',
  ({ setUp }) => {
    beforeEach(setUp);

    it("the reviewer whose update merge became the tip over a commit never pushed on its own is a contributor", async () => {
      const repo = seedRepo(stack);
      const number = await openPull(stack, repo, PLANS);
      // A commit whose git identity GitHub ties to no account reaches the branch with no known
      // pusher, and the next push is bob's "Update branch" merge on top of it. GitHub's records show
      // just what they show when bob pushes that commit and a web-made merge over it at once: the
      // branch was never at the commit, so bob's push brought it.
      const riskier = AFTER.replace(/interval(\s+)= 5/, "interval$1= 4");
      stack.github.commit(
        repo,
        "change",
        { "infra/lb.tf": riskier },
        { author: { name: "Build Box", email: "build@box.invalid" }, message: "Tune checks" },
      );
      stack.github.commit(repo, "main", { "docs/runbook.md": "# Runbook\n" }, "ada");
      await stack.github.mergeBaseIntoHead(repo, number, "bob");
      await stack.github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
      await stack.github.submitReview(repo, number, { user: "carol", state: "APPROVED" });
      await stack.idle();
      const { run } = check(stack, repo, number);
      expect(run).toMatchObject({ conclusion: "failure" });
      expect(run!.output.title).toBe("High risk — 1 of 2 approvals");
      expect(sticky(stack, repo, number)[0]!.body).toMatch(/bob.*pushed to this pull request/);
    });
  },
);
