// The App's own review (its suggested fixes) comes back as `pull_request_review.submitted` with the
// App's bot as sender: it asks for no evaluation, while a person's review still does.
import { describe, expect, it } from "vitest";
import { workOf } from "../../src/github/events.js";

const BOT = "changegate[bot]";
const isOwn = (sender: { login?: string; type?: string } | null | undefined): boolean =>
  sender?.type === "Bot" && sender.login === BOT;

const review = (sender: { login: string; type: string }, action = "submitted") => ({
  action,
  sender,
  repository: { name: "web", owner: { login: "acme" } },
  pull_request: { number: 7, head: { sha: "a".repeat(40) } },
  review: { id: 1, state: "commented", user: sender },
});

describe("pull_request_review events", () => {
  it("the App's own review (sender: its bot) asks for nothing", () => {
    expect(workOf("pull_request_review", review({ login: BOT, type: "Bot" }), isOwn)).toEqual([]);
  });

  it("a person's review, or another bot's, is evaluated", () => {
    for (const sender of [
      { login: "bob", type: "User" },
      { login: "other[bot]", type: "Bot" },
    ])
      expect(workOf("pull_request_review", review(sender), isOwn)).toEqual([
        {
          kind: "evaluate",
          locator: { owner: "acme", repo: "web", number: 7 },
          request: { reason: "pull_request_review.submitted", headSha: "a".repeat(40) },
        },
      ]);
  });
});
