import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import { checkSnapshot } from "../../src/gates/snapshot-schema.js";
import { PLANS, review, snapshot } from "./builders.js";

// Gate integrity, who counts (docs/security.md): the pure layer's half of each promise.

describe("reviews on a garbage-collected commit (commitSha: null)", () => {
  it("a writer's request for changes on an unknown commit blocks", () => {
    const { verdict } = evaluate(
      snapshot({
        pull: { body: PLANS },
        reviews: [
          review("carol", "CHANGES_REQUESTED", { commitSha: null }),
          review("bob"),
          review("mia", "APPROVED", { permission: "maintain" }),
        ],
      }),
    );
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.title).toContain("changes requested by @carol");
  });

  it("an approval on an unknown commit is stale", () => {
    const { verdict } = evaluate(
      snapshot({
        pull: { body: PLANS },
        reviews: [review("carol", "APPROVED", { commitSha: null }), review("bob")],
        policy: "approvals: { invalidateOn: never }\n",
      }),
    );
    expect(verdict.approvals.find((approval) => approval.user === "carol")).toMatchObject({
      counted: false,
      commitSha: null,
      reason: expect.stringContaining("no longer has") as unknown,
    });
  });

  it("a snapshot file may say commitSha: null", () => {
    const check = checkSnapshot({
      ...snapshot(),
      reviews: [
        { user: "carol", state: "CHANGES_REQUESTED", commitSha: null, permission: "write" },
      ],
    });
    expect(check.ok).toBe(true);
  });
});
