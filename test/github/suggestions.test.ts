// publishSuggestions against a scripted client: what it reads and writes on a head it already
// reviewed (src/github/suggestions.ts).
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { DEFAULT_SETTINGS } from "../../src/engine/settings.js";
import type { Evaluation } from "../../src/gates/verdict.js";
import type { GitHubClient } from "../../src/github/client.js";
import type { LoadedPull } from "../../src/github/snapshot/index.js";
import { publishSuggestions } from "../../src/github/suggestions.js";
import { textHunks } from "../../src/diff/hunks.js";
import { reviewBody, suggestionsOf } from "../../src/render/suggestions.js";

const BEFORE = readFileSync(
  new URL("../../examples/postmortem/before.tf", import.meta.url),
  "utf8",
);
const AFTER = readFileSync(new URL("../../examples/postmortem/after.tf", import.meta.url), "utf8");
const HEAD = "d".repeat(40);
const BOT = "changegate[bot]";
const LOCATOR = { owner: "acme", repo: "web", number: 3 };
const FILES = [{ path: "infra/lb.tf", status: "modified", before: BEFORE, after: AFTER }];
const findings = analyze(
  [{ path: "infra/lb.tf", before: BEFORE, after: AFTER }],
  DEFAULT_SETTINGS,
  [],
).findings;
const WANTED = suggestionsOf(
  findings,
  [{ path: "infra/lb.tf", after: AFTER, hunks: textHunks(BEFORE, AFTER) }],
  HEAD,
);

// Only the fields publishSuggestions reads; `ownReviewHeads`: the heads the loader saw the App's
// own review on.
const loaded = (ownReviewHeads: readonly string[] = []) =>
  ({
    snapshot: { pull: { headSha: HEAD, state: "open" }, files: FILES },
    ownReviewHeads,
  }) as unknown as LoadedPull;
const evaluation = {
  verdict: {},
  analysis: { findings, files: [{ path: "infra/lb.tf", hunks: textHunks(BEFORE, AFTER) }] },
  // The default policy's `suggestions.maxComments`.
  maxSuggestions: 10,
} as unknown as Evaluation;

interface Call {
  readonly route: string;
  readonly params: Record<string, unknown>;
}

/** A client that answers the two lists from `lists` and records every call. */
function scripted(lists: Record<string, unknown[]>, fail?: { route: string; status: number }) {
  const calls: Call[] = [];
  const client = {
    paginate: async (route: string, params: Record<string, unknown>) => {
      calls.push({ route, params });
      return lists[route] ?? [];
    },
    request: async (route: string, params: Record<string, unknown>) => {
      calls.push({ route, params });
      if (fail?.route === route)
        throw Object.assign(new Error("Resource not accessible by integration"), {
          status: fail.status,
          response: {},
        });
      return { data: {} };
    },
  } as unknown as GitHubClient;
  return { client, calls, writes: () => calls.filter((c) => !c.route.startsWith("GET")) };
}

const errors: object[] = [];
const log = { info: () => undefined, error: (obj: object) => void errors.push(obj) };
const REVIEWS = "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews";
const COMMENTS = "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments";
const ownReview = { id: 9, body: reviewBody(HEAD, 1), user: { login: BOT } };
const comment = (id: number, body: string, login = BOT) => ({
  id,
  body,
  path: "infra/lb.tf",
  user: { login },
});

describe("publishSuggestions on a head it already reviewed", () => {
  beforeEach(() => {
    errors.length = 0;
  });

  it("updates a comment whose text changed and adds a new suggestion as a single comment", async () => {
    const stale = WANTED[0]!.body.replace("`lb.health-check", "`old wording lb.health-check");
    const { client, writes, calls } = scripted({
      [REVIEWS]: [ownReview],
      [COMMENTS]: [comment(1, stale)],
    });
    await publishSuggestions(client, LOCATOR, loaded([HEAD]), evaluation, { botLogin: BOT, log });
    // The snapshot told that this head has the App's review: the reviews are not read again.
    expect(calls.map((call) => call.route)).not.toContain(REVIEWS);
    expect(writes()).toEqual([
      {
        route: "PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}",
        params: { owner: "acme", repo: "web", comment_id: 1, body: WANTED[0]!.body },
      },
      {
        route: "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments",
        params: {
          owner: "acme",
          repo: "web",
          pull_number: 3,
          commit_id: HEAD,
          path: "infra/lb.tf",
          line: 20,
          side: "RIGHT",
          body: WANTED[1]!.body,
        },
      },
    ]);
  });

  it("writes nothing when every suggestion is there as it should read", async () => {
    const { client, writes } = scripted({
      [REVIEWS]: [ownReview],
      [COMMENTS]: WANTED.map((s, i) => comment(i + 1, s.body)),
    });
    await publishSuggestions(client, LOCATOR, loaded([HEAD]), evaluation, { botLogin: BOT, log });
    expect(writes()).toEqual([]);
    expect(errors).toEqual([]); // it logs rather than throws: nothing written could be a failure
  });

  it("keeps to the cap with what is there (maxComments 1: the one posted stays alone)", async () => {
    const { client, writes } = scripted({
      [REVIEWS]: [ownReview],
      [COMMENTS]: [comment(1, WANTED[0]!.body)],
    });
    await publishSuggestions(
      client,
      LOCATOR,
      loaded([HEAD]),
      { ...evaluation, maxSuggestions: 1 },
      {
        botLogin: BOT,
        log,
      },
    );
    expect(writes()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("a review or comment with the marker by someone else is not the App's: a review of its own is posted", async () => {
    const { client, writes } = scripted({
      [REVIEWS]: [{ ...ownReview, user: { login: "mallory" } }],
      [COMMENTS]: [comment(1, WANTED[0]!.body, "mallory")],
    });
    await publishSuggestions(client, LOCATOR, loaded(), evaluation, { botLogin: BOT, log });
    expect(writes().map((w) => w.route)).toEqual([
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    ]);
    expect(writes()[0]!.params).toMatchObject({ commit_id: HEAD, event: "COMMENT" });
  });

  it("a 403 is logged with its reason, never thrown", async () => {
    const { client } = scripted(
      {},
      { route: "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", status: 403 },
    );
    await expect(
      publishSuggestions(client, LOCATOR, loaded(), evaluation, { botLogin: BOT, log }),
    ).resolves.toBeUndefined();
    expect(errors).toEqual([
      expect.objectContaining({
        reason: "GitHub API answered 403: Resource not accessible by integration",
      }),
    ]);
  });
});
