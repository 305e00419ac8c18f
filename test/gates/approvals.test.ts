import { describe, expect, it } from "vitest";
import {
  evaluateApprovals,
  latestReviews,
  type ApprovalsInput,
} from "../../src/gates/approvals.js";
import type { SnapshotCommit, SnapshotReview } from "../../src/gates/snapshot.js";
import type { Coverage } from "../../src/gates/staleness.js";
import { commit, HEAD_SHA, OLD_SHA, review } from "./builders.js";

const current = (): Coverage => ({ kind: "current" });

function run(
  reviews: readonly SnapshotReview[],
  options: Partial<Omit<ApprovalsInput, "reviews">> = {},
): ReturnType<typeof evaluateApprovals> {
  return evaluateApprovals({
    author: "alice",
    reviews,
    commits: [commit(OLD_SHA, "alice"), commit(HEAD_SHA, "alice")],
    required: 2,
    allowContributors: false,
    coverage: current,
    ...options,
  });
}

describe("who counts", () => {
  const cases: {
    name: string;
    reviews: SnapshotReview[];
    commits?: SnapshotCommit[];
    allowContributors?: boolean;
    counted: string[];
    reasons: Record<string, string>;
  }[] = [
    {
      name: "two writers approve",
      reviews: [review("bob"), review("carol", "APPROVED", { permission: "admin" })],
      counted: ["bob", "carol"],
      reasons: { bob: "counted", carol: "counted" },
    },
    {
      name: "self-approval is ignored (any case of the login)",
      reviews: [review("Alice"), review("bob")],
      counted: ["bob"],
      reasons: { Alice: "author of the pull request" },
    },
    {
      name: "a bot is ignored, by flag or by login",
      reviews: [
        review("ci-helper", "APPROVED", { bot: true, permission: "admin" }),
        review("renovate[bot]", "APPROVED", { permission: "write" }),
      ],
      counted: [],
      reasons: { "ci-helper": "bot", "renovate[bot]": "bot" },
    },
    {
      name: "readers and triagers are ignored; maintainers count",
      reviews: [
        review("rita", "APPROVED", { permission: "read" }),
        review("trent", "APPROVED", { permission: "triage" }),
        review("mona", "APPROVED", { permission: "maintain" }),
      ],
      counted: ["mona"],
      reasons: {
        rita: "no write access (read)",
        trent: "no write access (triage)",
        mona: "counted",
      },
    },
    {
      name: "a committer and a co-author are ignored (four eyes)",
      reviews: [review("bob"), review("carol"), review("dave")],
      commits: [
        commit(OLD_SHA, "alice", { committer: "bob" }),
        commit(HEAD_SHA, "alice", { coAuthors: ["Carol"] }),
      ],
      counted: ["dave"],
      reasons: {
        bob: "committed to this pull request (four eyes)",
        carol: "co-authored a commit of this pull request (four eyes)",
      },
    },
    {
      name: "contributors count when approvals.allowContributors is set",
      reviews: [review("bob"), review("carol")],
      commits: [commit(OLD_SHA, "bob"), commit(HEAD_SHA, "alice", { coAuthors: ["carol"] })],
      allowContributors: true,
      counted: ["bob", "carol"],
      reasons: { bob: "counted" },
    },
    {
      name: "an approval after changes requested counts",
      reviews: [review("bob", "CHANGES_REQUESTED"), review("bob")],
      counted: ["bob"],
      reasons: { bob: "counted" },
    },
    {
      name: "changes requested after an approval replaces it",
      reviews: [review("bob"), review("bob", "CHANGES_REQUESTED")],
      counted: [],
      reasons: { bob: "requested changes (blocks until @bob approves)" },
    },
    {
      name: "a comment or a pending review does not replace an approval",
      reviews: [
        review("bob"),
        review("bob", "COMMENTED"),
        review("carol"),
        review("carol", "PENDING"),
      ],
      counted: ["bob", "carol"],
      reasons: { bob: "counted", carol: "counted" },
    },
    {
      name: "a dismissed approval does not count",
      reviews: [review("bob", "DISMISSED")],
      counted: [],
      reasons: { bob: "dismissed" },
    },
    {
      name: "a dismissal replaces an earlier approval; a later approval counts again",
      reviews: [
        review("bob"),
        review("bob", "DISMISSED"),
        review("carol", "DISMISSED"),
        review("carol"),
      ],
      counted: ["carol"],
      reasons: { bob: "dismissed", carol: "counted" },
    },
    {
      name: "comments alone do not count",
      reviews: [review("bob", "COMMENTED")],
      counted: [],
      reasons: { bob: "commented without approving" },
    },
    {
      name: "the same person under two spellings is one reviewer",
      reviews: [review("Bob"), review("bob")],
      counted: ["bob"],
      reasons: { bob: "counted" },
    },
  ];

  it.each(cases)("$name", ({ reviews, commits, allowContributors, counted, reasons }) => {
    const outcome = run(reviews, {
      ...(commits ? { commits } : {}),
      ...(allowContributors !== undefined ? { allowContributors } : {}),
    });
    expect(outcome.counted).toEqual(counted);
    for (const [user, reason] of Object.entries(reasons)) {
      expect(outcome.approvals.find((approval) => approval.user === user)?.reason).toBe(reason);
    }
  });
});

describe("the gate", () => {
  const cases: {
    name: string;
    reviews: SnapshotReview[];
    required?: number;
    status: string;
    detail: string;
    shortfall: string | null;
  }[] = [
    {
      name: "none yet",
      reviews: [],
      status: "fail",
      detail: "0 of 2 approvals; 2 missing",
      shortfall: "0 of 2 approvals",
    },
    {
      name: "one of two",
      reviews: [review("bob")],
      status: "fail",
      detail: "1 of 2 approvals (@bob); 1 missing",
      shortfall: "1 of 2 approvals",
    },
    {
      name: "enough",
      reviews: [review("bob"), review("carol")],
      status: "pass",
      detail: "2 of 2 approvals (@bob, @carol)",
      shortfall: null,
    },
    {
      name: "more than enough",
      reviews: [review("bob"), review("carol"), review("dave")],
      status: "pass",
      detail: "3 approvals (@bob, @carol, @dave); 2 required",
      shortfall: null,
    },
    {
      name: "a writer's changes requested blocks despite enough approvals",
      reviews: [review("bob"), review("carol"), review("erin", "CHANGES_REQUESTED")],
      status: "fail",
      detail: "changes requested by @erin; 2 of 2 approvals (@bob, @carol)",
      shortfall: "changes requested by @erin",
    },
    {
      name: "a writer's changes requested on an old commit still blocks",
      reviews: [
        review("bob"),
        review("carol"),
        review("erin", "CHANGES_REQUESTED", { commitSha: OLD_SHA }),
      ],
      status: "fail",
      detail: "changes requested by @erin; 2 of 2 approvals (@bob, @carol)",
      shortfall: "changes requested by @erin",
    },
    {
      name: "a reader's changes requested does not block",
      reviews: [
        review("bob"),
        review("carol"),
        review("rita", "CHANGES_REQUESTED", { permission: "read" }),
      ],
      status: "pass",
      detail: "2 of 2 approvals (@bob, @carol)",
      shortfall: null,
    },
    {
      name: "not required at this risk",
      reviews: [review("bob")],
      required: 0,
      status: "not-required",
      detail: "not required at this risk (1 counted (@bob))",
      shortfall: null,
    },
  ];

  it.each(cases)("$name", ({ reviews, required, status, detail, shortfall }) => {
    const outcome = run(reviews, required !== undefined ? { required } : {});
    expect(outcome.result).toMatchObject({ gate: "approvals", status, detail });
    expect(outcome.shortfall).toBe(shortfall);
  });

  it("reports the reader's request for changes without counting it as a block", () => {
    const outcome = run([review("rita", "CHANGES_REQUESTED", { permission: "read" })]);
    expect(outcome.blockedBy).toEqual([]);
    expect(outcome.approvals[0]!.reason).toBe(
      "requested changes without write access (read); does not block",
    );
  });

  it("says why a stale approval does not count, and why a kept one does", () => {
    const coverage = (sha: string | null): Coverage =>
      sha === OLD_SHA
        ? {
            kind: "stale",
            reason: "approved abc1234; the infrastructure change has changed since",
            since: "the infrastructure change has changed since",
          }
        : {
            kind: "current",
            note: "approved 0123456; the infrastructure change is the same since",
          };
    const outcome = run(
      [
        review("bob", "APPROVED", { commitSha: OLD_SHA }),
        review("carol", "APPROVED", { commitSha: "0123456789" }),
      ],
      {
        coverage,
      },
    );
    expect(
      outcome.approvals.map((approval) => [approval.user, approval.counted, approval.reason]),
    ).toEqual([
      ["bob", false, "approved abc1234; the infrastructure change has changed since"],
      ["carol", true, "counted (approved 0123456; the infrastructure change is the same since)"],
    ]);
  });
});

describe("latestReviews", () => {
  it("keeps people in order of their first review", () => {
    const latest = latestReviews([review("bob", "COMMENTED"), review("carol"), review("bob")]);
    expect(latest.map((entry) => [entry.user, entry.state])).toEqual([
      ["bob", "APPROVED"],
      ["carol", "APPROVED"],
    ]);
  });
});
