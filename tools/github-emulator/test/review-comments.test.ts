import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { installationOctokit } from "./helpers.js";

const BEFORE = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n";
// Line 2 modified, line 11 modified; lines 6-7 are outside every hunk (three lines of context).
const AFTER = "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nK\nl\n";

const suggestion = (line: string): string => `Try this\n\n\`\`\`suggestion\n${line}\n\`\`\``;

describe("emulator review comments and suggestions", () => {
  let emu: Emulator;
  let octokit: Octokit;
  let pull: number;
  const where = () => ({ owner: "acme", repo: "web", pull_number: pull });

  beforeAll(async () => {
    emu = await startEmulator({ validateResponses: true });
    emu.createRepo("acme/web", { ownerType: "Organization", files: { "f.txt": BEFORE } });
    emu.addCollaborator("acme/web", "alice", "write");
    emu.commit("acme/web", "change", { "f.txt": AFTER }, "alice");
    pull = (await emu.openPullRequest("acme/web", { head: "change", author: "alice" })).number;
    octokit = await installationOctokit(emu);
  });

  afterAll(() => emu.close());

  it("creates a review with comments on lines of the diff, lists them by review and by pull, and updates one", async () => {
    const head = emu.pull("acme/web", pull).head.sha;
    const { data: review } = await octokit.rest.pulls.createReview({
      ...where(),
      commit_id: head,
      event: "COMMENT",
      body: "two suggestions",
      comments: [
        { path: "f.txt", line: 2, side: "RIGHT", body: suggestion("b2") },
        { path: "f.txt", line: 11, side: "RIGHT", body: suggestion("k2") },
      ],
    });
    expect(review).toMatchObject({
      state: "COMMENTED",
      commit_id: head,
      user: { login: "changegate[bot]" },
    });
    const { data: ofReview } = await octokit.rest.pulls.listCommentsForReview({
      ...where(),
      review_id: review.id,
    });
    expect(ofReview.map((c) => [c.path, c.line, c.side, c.pull_request_review_id])).toEqual([
      ["f.txt", 2, "RIGHT", review.id],
      ["f.txt", 11, "RIGHT", review.id],
    ]);
    expect(ofReview[0]!.diff_hunk).toMatch(/^@@ .* @@\n a\n-b\n\+B$/);
    const { data: updated } = await octokit.rest.pulls.updateReviewComment({
      owner: "acme",
      repo: "web",
      comment_id: ofReview[1]!.id,
      body: suggestion("k3"),
    });
    expect(updated.body).toBe(suggestion("k3"));
    const { data: single } = await octokit.rest.pulls.createReviewComment({
      ...where(),
      commit_id: head,
      path: "f.txt",
      line: 3,
      side: "RIGHT",
      body: "context line",
    });
    expect(single.pull_request_review_id).not.toBe(review.id);
    const { data: all } = await octokit.rest.pulls.listReviewComments(where());
    expect(all.map((c) => [c.line, c.body])).toEqual([
      [2, suggestion("b2")],
      [11, suggestion("k3")],
      [3, "context line"],
    ]);
    expect(emu.violations).toEqual([]);
  });

  it("answers 422 when a comment's line or path is not in the diff, and writes nothing of the review", async () => {
    const reviews = emu.reviews("acme/web", pull).length;
    for (const [path, line, message] of [
      [
        "f.txt",
        7,
        "Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank",
      ],
      ["nope.txt", 1, "Path could not be resolved"],
    ] as const) {
      const error = await octokit.rest.pulls
        .createReview({
          ...where(),
          event: "COMMENT",
          body: "x",
          comments: [
            { path: "f.txt", line: 2, body: "fine" },
            { path, line, body: "not in the diff" },
          ],
        })
        .catch((e: { status: number; response: { data: { errors: string[] } } }) => e);
      expect(error).toMatchObject({ status: 422, response: { data: { errors: [message] } } });
    }
    expect(emu.reviews("acme/web", pull)).toHaveLength(reviews);
    // GitHub would reject them: recorded as violations, which a test of the App asserts are none.
    expect(emu.violations).toMatchObject([
      { kind: "semantic", operationId: "pulls/create-review", status: 422 },
      { kind: "semantic", operationId: "pulls/create-review", status: 422 },
    ]);
    emu.reset();
  });

  it("answers the author's own approval or change request with GitHub's 422 for each", async () => {
    const alice = new Octokit({ baseUrl: emu.url, auth: emu.userToken("alice") });
    for (const [event, message] of [
      ["APPROVE", "Can not approve your own pull request"],
      ["REQUEST_CHANGES", "Can not request changes on your own pull request"],
    ] as const) {
      const error = await alice.rest.pulls
        .createReview({ ...where(), event, body: "mine" })
        .catch((e: { status: number; response: { data: { errors: string[] } } }) => e);
      expect(error).toMatchObject({ status: 422, response: { data: { errors: [message] } } });
    }
    const refused = { kind: "semantic", operationId: "pulls/create-review", status: 422 };
    expect(emu.violations).toMatchObject([refused, refused]);
    emu.reset();
  });

  it("applySuggestions commits the suggestion blocks in one commit on the head branch and delivers synchronize", async () => {
    const before = emu.pull("acme/web", pull).head.sha;
    // A review of its own, so that this test does not depend on the first one.
    const { data: review } = await octokit.rest.pulls.createReview({
      ...where(),
      commit_id: before,
      event: "COMMENT",
      body: "two more suggestions",
      comments: [
        { path: "f.txt", line: 2, side: "RIGHT", body: suggestion("b2") },
        { path: "f.txt", line: 11, side: "RIGHT", body: suggestion("k3") },
      ],
    });
    const ids = emu
      .reviewComments("acme/web", pull)
      .filter((c) => c.reviewId === review.id)
      .map((c) => c.id);
    expect(ids).toHaveLength(2);
    await expect(emu.applySuggestions("acme/web", pull, [], "alice")).rejects.toThrow(
      /needs a review comment/,
    );
    const { sha, deliveries } = await emu.applySuggestions("acme/web", pull, ids, "alice");
    expect(emu.pull("acme/web", pull).head.sha).toBe(sha);
    const commit = emu.state.repos.get("acme/web")!.commits.get(sha)!;
    expect(commit.parents).toEqual([before]);
    expect(commit.tree.get("f.txt")).toBe(
      AFTER.replace("\nB\n", "\nb2\n").replace("\nK\n", "\nk3\n"),
    );
    expect(commit.author.login).toBe("alice");
    expect(commit.committer.login).toBe("web-flow");
    expect(deliveries).toHaveLength(1);
    expect(
      emu.deliveries({ event: "pull_request", action: "synchronize" }).at(-1)?.payload,
    ).toMatchObject({
      before,
      after: sha,
      sender: { login: "alice" },
    });
    // Now outdated: the file changed since the comments were made.
    await expect(emu.applySuggestions("acme/web", pull, ids.slice(0, 1), "alice")).rejects.toThrow(
      /outdated/,
    );
    expect(emu.violations).toEqual([]);
  });
});
