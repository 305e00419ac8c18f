import { beforeEach, describe, expect, it } from "vitest";
import {
  AFTER,
  approve,
  BUILD_BOX,
  check,
  loaders,
  openPull,
  PLANS,
  pushUnlinked,
  RISKIER,
  seedRepo,
  seedWithPolicy,
  sticky,
  useStack,
} from "./fixture.js";

// Who counts, end to end (docs/security.md, "Who counts"): reviews on commits GitHub no longer
// has, co-authors, "Update branch" merges, pushers.

const stack = useStack();

const LOADERS = loaders(stack);

/** A commit GitHub garbage-collected: its reviews answer `commit_id: null`. */
const GONE = "f".repeat(40);

/** A pull request that carol reviewed (`state`) on a commit GitHub no longer has. */
async function carolReviewedGone(
  state: "APPROVED" | "CHANGES_REQUESTED",
): Promise<{ repo: string; number: number }> {
  const repo = seedRepo(stack());
  const number = await openPull(stack(), repo, PLANS);
  await stack().github.submitReview(repo, number, { user: "carol", state, commitId: GONE });
  return { repo, number };
}

describe.each(LOADERS)("reviews on a garbage-collected commit, via $via", ({ setUp }) => {
  beforeEach(setUp);

  it("keeps a writer's request for changes on a commit GitHub no longer has: it blocks", async () => {
    const { repo, number } = await carolReviewedGone("CHANGES_REQUESTED");
    await approve(stack(), repo, number, "bob", "mia");
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toContain("changes requested by @carol");
  });

  it("shows an approval on a commit GitHub no longer has as stale", async () => {
    const { repo, number } = await carolReviewedGone("APPROVED");
    await stack().github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
    await stack().idle();
    expect(check(stack(), repo, number).run!.output.title).toBe("High risk — 1 of 2 approvals");
    expect(sticky(stack(), repo, number)[0]!.body).toMatch(
      /carol.*an unknown commit.*❌ .*no longer has/,
    );
  });
});

describe.each(LOADERS)(
  "the emergency override is bound to the change it was applied to, via $via",
  ({ setUp }) => {
    beforeEach(setUp);

    it("keeps the override across a docs-only push, refuses it after an infrastructure push, accepts a new label", async () => {
      const repo = seedRepo(stack());
      const number = await openPull(stack(), repo);
      await stack().github.addLabel(repo, number, "changegate:emergency", "ada");
      await stack().idle();
      expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "success" });

      await stack().github.push(repo, "change", { "README.md": "# web\n\nDocs only.\n" }, "alice");
      await stack().idle();
      expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "success" });

      expect(RISKIER).not.toBe(AFTER);
      await stack().github.push(repo, "change", { "infra/lb.tf": RISKIER }, "alice");
      await stack().idle();
      const { run } = check(stack(), repo, number);
      expect(run).toMatchObject({ conclusion: "failure" });
      expect(run!.output.title).toContain("emergency label not accepted");
      expect(sticky(stack(), repo, number)[0]!.body).toContain("the change has changed since");

      await stack().github.removeLabel(repo, number, "changegate:emergency", "ada");
      await stack().github.addLabel(repo, number, "changegate:emergency", "ada");
      await stack().idle();
      expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "success" });
    });
  },
);

/** carol, who pushed, and bob approve: carol does not count. The sticky comment's body. */
async function expectCarolNotCounted(repo: string, number: number): Promise<string> {
  await approve(stack(), repo, number, "carol", "bob");
  expect(check(stack(), repo, number).run!.output.title).toBe("High risk — 1 of 2 approvals");
  const body = sticky(stack(), repo, number)[0]!.body;
  expect(body).toMatch(/carol.*❌ pushed to this pull request/);
  return body;
}

describe.each(LOADERS)("who pushed counts, via $via", ({ setUp }) => {
  beforeEach(setUp);

  it("a writer who pushes commits under an email tied to no account cannot approve; the commit is shown", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo, PLANS);
    await pushUnlinked(stack(), repo, "carol");
    const body = await expectCarolNotCounted(repo, number);
    expect(body).toMatch(/Build Box.*box\.invalid.*❌ made commit/);
  });

  it("a writer who pushed the branch before the pull request was opened cannot approve (GitHub's push record)", async () => {
    const repo = seedRepo(stack(), { "README.md": "# web\n" });
    // No pull request yet: no delivery tells the App who pushed; GitHub's activity record does.
    await pushUnlinked(stack(), repo, "carol");
    const number = await openPull(stack(), repo, PLANS);
    await expectCarolNotCounted(repo, number);
  });

  it("a writer whose push was rewritten away by a later force push still cannot approve", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo, PLANS);
    // carol's push reaches the App not at all (a lost delivery), so only GitHub's record knows it;
    stack().github.setWebhookTarget(undefined);
    await pushUnlinked(stack(), repo, "carol");
    stack().github.setWebhookTarget(stack().appUrl);
    // then alice rewrites the branch (an amend, a rebase): carol's commit is gone, her change stays.
    const rewritten = stack().github.commit(
      repo,
      "rewrite",
      { "infra/lb.tf": RISKIER },
      { author: BUILD_BOX, committer: "alice" },
    );
    await stack().github.pushExisting(repo, "change", rewritten, "alice");
    await expectCarolNotCounted(repo, number);
  });
});

describe("co-authors by any verified email", () => {
  it("a co-author named by their own email (not GitHub's noreply address) cannot approve", async () => {
    stack().github.addUser("mia", { email: "mia@acme.example" });
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo, PLANS);
    await stack().github.push(
      repo,
      "change",
      { "README.md": "# web\n\nPaired on the health checks.\n" },
      { author: "alice", message: "Notes\n\nCo-authored-by: Mia <mia@acme.example>\n" },
    );
    await approve(stack(), repo, number, "mia", "bob");
    expect(check(stack(), repo, number).run!.output.title).toBe("High risk — 1 of 2 approvals");
    expect(sticky(stack(), repo, number)[0]!.body).toMatch(/mia.*❌ co-authored/);
  });

  it("over the REST fallback, which cannot resolve that email, the co-author is listed as tied to no account", async () => {
    LOADERS[1].setUp();
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo, PLANS);
    await stack().github.push(
      repo,
      "change",
      { "README.md": "# web\n\nPaired on the health checks.\n" },
      { author: "alice", message: "Notes\n\nCo-authored-by: Mia <mia@acme.example>\n" },
    );
    await stack().idle();
    expect(sticky(stack(), repo, number)[0]!.body).toMatch(/Mia .*acme\.example.*❌ made commit/);
    expect(check(stack(), repo, number).run).toMatchObject({
      conclusion: "failure",
      output: { title: "High risk — 0 of 2 approvals" },
    });
  });
});

describe.each(LOADERS)('"Update branch" is not authorship, via $via', ({ setUp }) => {
  beforeEach(setUp);

  it("a reviewer who merges the base branch in through the UI keeps their approval", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo, PLANS);
    await stack().github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
    stack().github.commit(
      repo,
      "main",
      { "docs/runbook.md": "# Runbook\n" },
      { author: "ada", message: "Runbook" },
    );
    await stack().github.mergeBaseIntoHead(repo, number, "bob");
    await stack().github.submitReview(repo, number, { user: "carol", state: "APPROVED" });
    await stack().idle();
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({
      conclusion: "success",
      output: { title: "High risk — all requirements met" },
    });
    expect(sticky(stack(), repo, number)[0]!.body).toMatch(/bob.*✅ counted/);
  });
});

describe("checklist ticks", () => {
  const tickAll = (body: string): string => body.replaceAll("- [ ] ", "- [x] ");

  it("the author's own ticks do not count; a writer's do, until the infrastructure change changes", async () => {
    const repo = seedWithPolicy(stack(), "requirements:\n  high: { checklist: true }\n");
    const number = await openPull(stack(), repo, PLANS);
    const comment = sticky(stack(), repo, number)[0]!;
    await stack().github.editComment(repo, comment.id, tickAll(comment.body), "alice");
    await stack().idle();
    expect(check(stack(), repo, number).run!.output.title).toContain("checklist 0 of 3 ticked");

    const current = sticky(stack(), repo, number)[0]!.body;
    await stack().github.editComment(repo, comment.id, tickAll(current), "bob");
    await approve(stack(), repo, number, "bob", "carol");
    expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "success" });

    await stack().github.push(repo, "change", { "infra/lb.tf": RISKIER }, "alice");
    await stack().idle();
    expect(check(stack(), repo, number).run!.output.title).toMatch(/checklist 0 of \d+ ticked/);
  });
});
