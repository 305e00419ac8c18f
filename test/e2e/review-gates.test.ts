import { beforeEach, describe, expect, it } from "vitest";
import {
  AFTER,
  BUILD_BOX,
  check,
  loaders,
  openPull,
  PLANS,
  seedRepo,
  sticky,
  useStack,
} from "./fixture.js";

// Review of issue 10's gates, end to end (docs/security.md, "Who counts"): walk-arounds found in
// review, each through the App and the emulator, via GraphQL and via the REST fallback.

const stack = useStack();

const LOADERS = loaders(stack);

describe.each(LOADERS)(
  '"Update branch" cannot carry a push of other commits, via $via',
  ({ setUp }) => {
    beforeEach(setUp);

    it("a writer who pushes their own commit with a web-made merge over it is a contributor", async () => {
      const repo = seedRepo(stack());
      const number = await openPull(stack(), repo, PLANS);
      const tip = stack().github.pull(repo, number).head.sha;
      // bob branches off the pull request, commits a change of his own under an identity GitHub
      // ties to no account, and has GitHub merge the base into it on a pull request of his own.
      await stack().github.pushExisting(repo, "side", tip, "bob");
      const riskier = AFTER.replace(/timeout(\s+)= 4/, "timeout$1= 3");
      expect(riskier).not.toBe(AFTER);
      stack().github.commit(
        repo,
        "side",
        { "infra/lb.tf": riskier },
        { author: BUILD_BOX, message: "Tune checks" },
      );
      const { number: side } = await stack().github.openPullRequest(repo, {
        head: "side",
        author: "bob",
        body: PLANS,
      });
      stack().github.commit(repo, "main", { "docs/runbook.md": "# Runbook\n" }, "ada");
      const { sha: merge } = await stack().github.mergeBaseIntoHead(repo, side, "bob");
      await stack().github.closePullRequest(repo, side, "bob");
      // Then he pushes the merge, and his commit with it, to alice's pull request in one push.
      await stack().github.pushExisting(repo, "change", merge, "bob");
      await stack().github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
      await stack().github.submitReview(repo, number, { user: "carol", state: "APPROVED" });
      await stack().idle();
      const { run } = check(stack(), repo, number);
      expect(run).toMatchObject({ conclusion: "failure" });
      expect(run!.output.title).toBe("High risk — 1 of 2 approvals");
      expect(sticky(stack(), repo, number)[0]!.body).toMatch(/bob.*pushed to this pull request/);
    });

    it("the reviewer who clicks Update branch on the tip keeps their approval", async () => {
      const repo = seedRepo(stack());
      const number = await openPull(stack(), repo, PLANS);
      stack().github.commit(repo, "main", { "docs/runbook.md": "# Runbook\n" }, "ada");
      await stack().github.mergeBaseIntoHead(repo, number, "bob");
      await stack().github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
      await stack().github.submitReview(repo, number, { user: "carol", state: "APPROVED" });
      await stack().idle();
      expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "success" });
    });
  },
);
