import { describe, expect, it } from "vitest";
import { evaluateApprovals } from "../../src/gates/approvals.js";
import { evaluateCodeOwners } from "../../src/gates/code-owners.js";
import { evaluate } from "../../src/gates/evaluate.js";
import type { Coverage } from "../../src/gates/staleness.js";
import { evaluateTeams } from "../../src/gates/teams.js";
import type { GateResult } from "../../src/gates/verdict.js";
import { BEFORE_TF, commit, HEAD_SHA, OLD_SHA, review, revision, snapshot } from "./builders.js";

// What "How to pass" names (issue 12, item 12) comes from the gates as data: who must approve
// again and on which commit, who may not approve and why, which teams and code owners can.

const staleOn =
  (sha: string): ((commitSha: string | null) => Coverage) =>
  (commitSha) =>
    commitSha === sha
      ? {
          kind: "stale",
          reason: `approved ${sha.slice(0, 7)}; the infrastructure change has changed since`,
          since: "the infrastructure change has changed since",
        }
      : { kind: "current" };

describe("the approvals gate carries who can make it pass", () => {
  it("groups stale approvals by commit, and names the author and each contributor once with their first commit or push", () => {
    const outcome = evaluateApprovals({
      author: "alice",
      reviews: [
        review("bob", "APPROVED", { commitSha: OLD_SHA }),
        review("carol", "APPROVED", { commitSha: OLD_SHA }),
        review("dave"),
        review("erin", "CHANGES_REQUESTED"),
      ],
      commits: [
        commit(OLD_SHA, "alice", { coAuthors: ["frank"] }),
        commit(HEAD_SHA, "dave"),
        commit("0c0c0c0c0c", "dave"),
      ],
      pushers: [{ login: "gina", headSha: HEAD_SHA }],
      required: 2,
      allowContributors: false,
      coverage: staleOn(OLD_SHA),
    });
    expect(outcome.result.needs).toEqual({
      kind: "approvals",
      missing: 2,
      counted: 0,
      stale: [
        {
          users: ["bob", "carol"],
          commitSha: OLD_SHA,
          since: "the infrastructure change has changed since",
        },
      ],
      excluded: [
        { login: "alice", role: "author" },
        { login: "dave", role: "committed", sha: HEAD_SHA },
        { login: "frank", role: "co-authored", sha: OLD_SHA },
        { login: "gina", role: "pushed", sha: HEAD_SHA },
      ],
      contributorsMayApprove: false,
      blockedBy: ["erin"],
    });
  });

  it("excludes only the author when the policy allows contributors", () => {
    const outcome = evaluateApprovals({
      author: "alice",
      reviews: [review("dave")],
      commits: [commit(HEAD_SHA, "dave")],
      required: 2,
      allowContributors: true,
      coverage: () => ({ kind: "current" }),
    });
    expect(outcome.result.needs).toMatchObject({
      missing: 1,
      counted: 1,
      excluded: [{ login: "alice", role: "author" }],
      contributorsMayApprove: true,
    });
  });

  it("carries nothing when the gate passes", () => {
    const outcome = evaluateApprovals({
      author: "alice",
      reviews: [review("bob"), review("carol")],
      commits: [],
      required: 2,
      allowContributors: false,
      coverage: () => ({ kind: "current" }),
    });
    expect(outcome.result.status).toBe("pass");
    expect(outcome.result.needs).toBeUndefined();
  });

  it("says what happened since each stale approval, end to end from the snapshot", () => {
    const { verdict } = evaluate(
      snapshot({
        reviews: [
          review("bob", "APPROVED", { commitSha: OLD_SHA }),
          review("carol", "APPROVED", { commitSha: null }),
        ],
        // At OLD_SHA the file was as on the base: the change the reviewers saw was none.
        revisions: { [OLD_SHA]: [revision(BEFORE_TF, BEFORE_TF)] },
      }),
    );
    const approvals = verdict.gates.find((gate) => gate.gate === "approvals");
    expect(approvals?.needs).toMatchObject({
      stale: [
        {
          users: ["bob"],
          commitSha: OLD_SHA,
          since: "the infrastructure change has changed since",
        },
        {
          users: ["carol"],
          commitSha: null,
          since: "that commit was force-pushed away, so it cannot be shown to cover the change now",
        },
      ],
    });
  });
});

describe("the teams and code-owners gates carry who can approve", () => {
  it("names the required teams without an approval, unknown membership included", () => {
    const outcome = evaluateTeams(["acme/sre", "acme/dba", "acme/gone"], ["carol"], {
      "acme/sre": ["dave"],
      "acme/dba": ["carol"],
    });
    expect(outcome.result.needs).toEqual({ kind: "teams", teams: ["acme/sre", "acme/gone"] });
  });

  it("names each file's owners who can approve", () => {
    const outcome = evaluateCodeOwners({
      required: true,
      paths: ["infra/lb.tf", "infra/dns.tf"],
      codeowners: "infra/lb.tf @olga @acme/net ops@acme.example\ninfra/dns.tf @pat\n",
      counted: ["pat"],
      teams: {},
    });
    const needs: GateResult["needs"] = outcome.result.needs;
    expect(needs).toEqual({
      kind: "codeOwners",
      files: [
        {
          path: "infra/lb.tf",
          owners: [
            { kind: "user", login: "olga" },
            { kind: "team", team: "acme/net" },
          ],
        },
      ],
    });
  });

  it("says when nobody can approve as code owner: no CODEOWNERS, or only unlinked emails", () => {
    const input = { required: true, paths: ["infra/lb.tf"], counted: [], teams: {} };
    expect(evaluateCodeOwners({ ...input, codeowners: null }).result.needs).toEqual({
      kind: "codeOwners",
      noCodeowners: true,
      files: [],
    });
    expect(
      evaluateCodeOwners({ ...input, codeowners: "*.tf ops@acme.example\n" }).result.needs,
    ).toEqual({
      kind: "codeOwners",
      files: [
        {
          path: "infra/lb.tf",
          owners: [{ kind: "email", email: "ops@acme.example" }],
          emailOnly: true,
        },
      ],
    });
  });

  it("gives the approvals, teams and code owners needs in one evaluation", () => {
    const { verdict } = evaluate(
      snapshot({
        policy:
          "requirements:\n  high: { approvals: 1, teams: [acme/sre], codeOwners: true, testPlan: true }\n",
        codeowners: "*.tf @olga\n",
        teams: { "acme/sre": ["dave"] },
      }),
    );
    expect(verdict.gates.map((gate) => gate.needs?.kind ?? null)).toEqual([
      "approvals",
      "teams",
      "codeOwners",
      null,
      null,
      null,
      null,
    ]);
    expect(verdict.gates.find((gate) => gate.gate === "testPlan")?.status).toBe("fail");
  });
});
