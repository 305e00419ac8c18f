// Suggested fixes end to end (docs/output.md, "Suggested fixes"): the real App and the emulator.
import { describe, expect, it } from "vitest";
import {
  check,
  loaders,
  openPull,
  repository,
  seedRepo,
  seedWithPolicy,
  sticky,
  useStack,
} from "./fixture.js";
import type { LocalStack } from "../../tools/demo/stack.js";

const stack = useStack();
const BOT = "changegate[bot]";

/** The App's reviews and review comments on the pull request. */
function suggestions(s: LocalStack, repo: string, number: number) {
  return {
    reviews: s.github.reviews(repo, number).filter((r) => r.user === BOT),
    comments: s.github.reviewComments(repo, number).filter((c) => c.user === BOT),
  };
}

/** The rules a check run's annotations name (titles "<severity>: <rule>"). */
const ruleIds = (run: { output: { annotations: { title?: string }[] } }): string[] =>
  run.output.annotations.map((a) => (a.title ?? "").replace(/^\w+: /, ""));

const suggestionWrites = (s: LocalStack, mark: number) =>
  s.github
    .since(mark)
    .filter((r) =>
      [
        "pulls/create-review",
        "pulls/create-review-comment",
        "pulls/update-review-comment",
      ].includes(r.operationId ?? ""),
    );

describe("suggested fixes as GitHub suggestions", () => {
  it("the postmortem PR gets one review with the health-check and stickiness suggestions; a re-evaluation of the head posts nothing again; applied, both findings are gone", async () => {
    const s = stack();
    const repo = seedRepo(s);
    const number = await openPull(s, repo);
    const head = s.github.pull(repo, number).head.sha;
    const SUGGESTED = ["lb.health-check.detection-too-fast", "lb.stickiness.duration-cut"];
    expect(ruleIds(check(s, repo, number).run!)).toEqual(expect.arrayContaining(SUGGESTED));
    const first = suggestions(s, repo, number);
    expect(first.reviews).toHaveLength(1);
    expect(first.reviews[0]).toMatchObject({ state: "COMMENTED", commitId: head });
    expect(first.reviews[0]!.body).toContain(`<!-- changegate:suggestions head=${head} -->`);
    expect(first.comments.map((c) => [c.path, c.line, c.side])).toEqual([
      ["infra/lb.tf", 11, "RIGHT"],
      ["infra/lb.tf", 20, "RIGHT"],
    ]);
    expect(first.comments[0]!.body).toContain("```suggestion\n    interval            = 30\n```");
    expect(first.comments[1]!.body).toContain("```suggestion\n    cookie_duration = 28800\n```");

    // The same head again (the description edited): no second review, no duplicate comment.
    const mark = s.github.mark();
    await s.github.editPullRequest(repo, number, { body: "Edited." }, "alice");
    await s.idle();
    expect(suggestionWrites(s, mark)).toEqual([]);
    expect(suggestions(s, repo, number).reviews).toHaveLength(1);
    expect(suggestions(s, repo, number).comments).toHaveLength(2);

    // Both applied in one commit: the App evaluates the new head, and those findings are gone.
    const { sha } = await s.github.applySuggestions(
      repo,
      number,
      first.comments.map((c) => c.id),
      "alice",
    );
    await s.idle();
    const { run } = check(s, repo, number);
    expect(run!.headSha).toBe(sha);
    // Whatever their severity (the annotation title is "<severity>: <rule>").
    for (const rule of SUGGESTED) expect(ruleIds(run!)).not.toContain(rule);
    expect(run!.output.title).not.toMatch(/^High risk/);
    // Nothing left to suggest on the new head: no review for it.
    expect(suggestions(s, repo, number).reviews).toHaveLength(1);
  });

  it("never more comments on a head than suggestions.maxComments (1): the most severe, first in the file", async () => {
    const s = stack();
    const repo = seedWithPolicy(s, "suggestions:\n  maxComments: 1\n");
    const number = await openPull(s, repo);
    expect(suggestions(s, repo, number).comments.map((c) => c.line)).toEqual([11]);
    await s.github.editPullRequest(repo, number, { body: "Edited." }, "alice");
    await s.idle();
    expect(suggestions(s, repo, number).comments.map((c) => c.line)).toEqual([11]);
  });

  it("maxComments 0: no review at all", async () => {
    const s = stack();
    const repo = seedWithPolicy(s, "suggestions:\n  maxComments: 0\n");
    const number = await openPull(s, repo);
    expect(suggestions(s, repo, number)).toEqual({ reviews: [], comments: [] });
  });

  it("a 403 on the review (pull_requests: write not granted) leaves the check as it was", async () => {
    const s = stack();
    const plain = seedRepo(s);
    const expected = check(s, plain, await openPull(s, plain)).run!;
    const repo = seedRepo(s);
    s.github.injectFault({ operationId: "pulls/create-review", status: 403, times: Infinity });
    const number = await openPull(s, repo);
    const { count, run } = check(s, repo, number);
    expect(count).toBe(1);
    expect(run).toMatchObject({
      status: "completed",
      conclusion: expected.conclusion,
      output: { title: expected.output.title, summary: expected.output.summary },
    });
    expect(suggestions(s, repo, number)).toEqual({ reviews: [], comments: [] });
  });

  it("the App's own review coming back as pull_request_review.submitted asks for no evaluation", async () => {
    const s = stack();
    const repo = seedRepo(s);
    const number = await openPull(s, repo);
    const pull = s.github.pull(repo, number);
    const mark = s.github.mark();
    const installation = { id: s.github.addInstallation(repo.split("/")[0]!) };
    const delivery = await s.github.deliver("pull_request_review", {
      action: "submitted",
      installation,
      repository: repository(repo),
      sender: { login: BOT, type: "Bot" },
      pull_request: { number, head: { sha: pull.head.sha }, user: { login: "alice" } },
      review: { id: 1, state: "commented", user: { login: BOT, type: "Bot" } },
    });
    await s.idle();
    expect(delivery.status).toBe(200);
    expect(s.github.since(mark)).toEqual([]);

    // The control: the same delivery of bob's review is evaluated (the payload is enough for that).
    const control = s.github.mark();
    await s.github.deliver("pull_request_review", {
      action: "submitted",
      installation,
      repository: repository(repo),
      sender: { login: "bob", type: "User" },
      pull_request: { number, head: { sha: pull.head.sha }, user: { login: "alice" } },
      review: { id: 2, state: "commented", user: { login: "bob", type: "User" } },
    });
    await s.idle();
    expect(s.github.since(control)).not.toEqual([]);
  });

  describe.each(loaders(stack))("the App's review is not a reviewer's ($via)", ({ setUp }) => {
    it("its suggestions review is left out of the snapshot: no reviews-table row, no comment rewrite on the next evaluation", async () => {
      const s = stack();
      const repo = seedRepo(s);
      setUp();
      const number = await openPull(s, repo);
      expect(suggestions(s, repo, number).reviews).toHaveLength(1);
      const mark = s.github.mark();
      await s.github.editPullRequest(repo, number, { body: "Routine maintenance." }, "alice");
      await s.idle();
      const writes = s.github
        .since(mark)
        .filter((r) => r.method !== "GET" && r.operationId !== "graphql")
        .map((r) => r.operationId);
      expect(writes).toEqual([]);
      expect(sticky(s, repo, number)[0]!.body).not.toContain("commented without approving");
    });
  });
});
