import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import type { GateResult, Verdict } from "../../src/gates/verdict.js";
import { checkRunOutput } from "../../src/render/check-run.js";
import { commentBody } from "../../src/render/comment.js";
import { howToPass } from "../../src/render/verdict-markdown.js";
import {
  BEFORE_TF,
  commit,
  HEAD_SHA,
  OLD_SHA,
  review,
  revision,
  snapshot,
} from "../gates/builders.js";

// Issue 12, item 12: "How to pass" names who must approve again, who may not approve and who can.
// People are written `@` + zero-width space + login (render/escape.ts `person`): no notification.
const Z = "\u200b";

function verdictWith(...gates: GateResult[]): Verdict {
  return {
    conclusion: "failure",
    title: "High risk",
    risk: "high",
    draft: false,
    requirement: null,
    gates,
    approvals: [],
    checklist: [],
    emergency: null,
    testPlanLinks: [],
    policyChanged: false,
    checkRequired: true,
  };
}

const approvalsGate = (needs: Partial<Extract<GateResult["needs"], { kind: "approvals" }>>) =>
  ({
    gate: "approvals",
    status: "fail",
    detail: "",
    needs: {
      kind: "approvals",
      missing: 2,
      counted: 0,
      stale: [],
      excluded: [{ login: "alice", role: "author" }],
      contributorsMayApprove: false,
      blockedBy: [],
      ...needs,
    },
  }) satisfies GateResult;

describe("how to pass, in words", () => {
  const cases: { name: string; gate: GateResult; lines: string[] }[] = [
    {
      name: "who must approve again, who may approve and who may not",
      gate: approvalsGate({
        stale: [
          {
            users: ["bob", "carol"],
            commitSha: "0c5ff7d1234567890",
            since: "the infrastructure change has changed since",
          },
        ],
        excluded: [
          { login: "alice", role: "author" },
          { login: "dave", role: "pushed", sha: "3f2a1b0ffffffff" },
          { login: "erin", role: "committed", sha: "1234567890" },
        ],
      }),
      lines: [
        `- @${Z}bob and @${Z}carol approved 0c5ff7d; the infrastructure change has changed since: they need to approve again.`,
        `- Get 2 approvals from people with write access who did not author or commit to this pull request: not @${Z}alice (author), @${Z}dave (pushed 3f2a1b0) or @${Z}erin (committed 1234567).`,
      ],
    },
    {
      name: "one more approval, contributors allowed, a reviewer blocking",
      gate: approvalsGate({
        missing: 1,
        counted: 1,
        contributorsMayApprove: true,
        blockedBy: ["frank"],
      }),
      lines: [
        `- Get 1 more approval from people with write access other than the author, @${Z}alice.`,
        `- @${Z}frank requested changes: that blocks until @${Z}frank approves.`,
      ],
    },
    {
      name: "an approval of a commit that is gone",
      gate: approvalsGate({
        missing: 0,
        counted: 2,
        stale: [
          {
            users: ["bob"],
            commitSha: null,
            since:
              "that commit was force-pushed away, so it cannot be shown to cover the change now",
          },
        ],
      }),
      lines: [
        `- @${Z}bob approved a commit GitHub no longer has; that commit was force-pushed away, so it cannot be shown to cover the change now: they need to approve again.`,
      ],
    },
    {
      name: "required teams",
      gate: {
        gate: "teams",
        status: "fail",
        detail: "",
        needs: { kind: "teams", teams: ["acme/sre", "acme/dba"] },
      },
      lines: [`- Get an approval from a member of each of @${Z}acme/sre and @${Z}acme/dba.`],
    },
    {
      name: "code owners, an email owner shown as written",
      gate: {
        gate: "codeOwners",
        status: "fail",
        detail: "",
        needs: {
          kind: "codeOwners",
          files: [
            {
              path: "infra/lb_*.tf",
              owners: [
                { kind: "user", login: "olga" },
                { kind: "team", team: "acme/net" },
                { kind: "email", email: "ops@acme.example" },
              ],
            },
          ],
        },
      },
      lines: [
        `- Get an approval from a code owner of \`infra/lb_*.tf\`: @${Z}olga, @${Z}acme/net or ops@${Z}acme.example.`,
      ],
    },
    {
      name: "no CODEOWNERS file",
      gate: {
        gate: "codeOwners",
        status: "fail",
        detail: "",
        needs: { kind: "codeOwners", noCodeowners: true, files: [] },
      },
      lines: [
        "- Add a `CODEOWNERS` file to the base branch (in `.github/`, the root or `docs/`): the policy requires a code owner's approval at this risk.",
      ],
    },
    {
      name: "a file owned only by unlinked emails",
      gate: {
        gate: "codeOwners",
        status: "fail",
        detail: "",
        needs: {
          kind: "codeOwners",
          files: [
            {
              path: "infra/lb.tf",
              owners: [{ kind: "email", email: "ops@acme.example" }],
              emailOnly: true,
            },
          ],
        },
      },
      lines: [
        `- Name a GitHub user or team as owner of \`infra/lb.tf\` in \`CODEOWNERS\`: its owner ops@${Z}acme.example is an email address GitHub links to no account here, so nobody can approve as its code owner.`,
      ],
    },
  ];

  it.each(cases)("$name", ({ gate, lines }) => {
    expect(howToPass(verdictWith(gate))).toEqual(["**How to pass:**", "", ...lines]);
  });

  it("writes no mention GitHub would notify", () => {
    for (const { gate } of cases)
      for (const line of howToPass(verdictWith(gate))) expect(line).not.toMatch(/@(?!\u200b)/);
  });
});

describe("the check run and the sticky comment say the same", () => {
  it("names who must approve again and who may not, from a real evaluation", () => {
    const evaluation = evaluate(
      snapshot({
        reviews: [
          review("bob", "APPROVED", { commitSha: OLD_SHA }),
          review("carol", "APPROVED", { commitSha: OLD_SHA }),
        ],
        commits: [commit(OLD_SHA, "alice"), commit(HEAD_SHA, "dave")],
        pushers: [{ login: "dave", headSha: HEAD_SHA }],
        revisions: { [OLD_SHA]: [revision(BEFORE_TF, BEFORE_TF)] },
      }),
    );
    const expected = [
      `- @${Z}bob and @${Z}carol approved abc1234; the infrastructure change has changed since: they need to approve again.`,
      `- Get 2 approvals from people with write access who did not author or commit to this pull request: not @${Z}alice (author) or @${Z}dave (committed def5678).`,
    ].join("\n");
    expect(checkRunOutput(evaluation).summary).toContain(expected);
    expect(commentBody({ evaluation, state: { ticks: [] } })).toContain(expected);
  });
});

describe("gate details and How to pass name people and teams the same way", () => {
  it("the teams, code-owners and approvals lines write @ + zero-width space, as How to pass does", async () => {
    const { evaluateTeams } = await import("../../src/gates/teams.js");
    const { evaluateCodeOwners } = await import("../../src/gates/code-owners.js");
    const { gateLines } = await import("../../src/render/verdict-markdown.js");
    const teams = evaluateTeams(["acme/sre", "acme/dba"], ["carol"], {
      "acme/sre": ["dave"],
      "acme/dba": ["carol"],
    }).result;
    const owners = evaluateCodeOwners({
      required: true,
      codeowners: "*.tf @olga\n*.yaml @acme/dba\n",
      paths: ["lb.tf", "web.yaml"],
      counted: ["carol"],
      teams: { "acme/dba": ["carol"] },
    }).result;
    const verdict = verdictWith(teams, owners);
    const lines = [...gateLines(verdict), ...howToPass(verdict)].join("\n");
    expect(lines).toContain(`no approval from @${Z}acme/sre`);
    expect(lines).toContain(`approved by @${Z}acme/dba (@${Z}carol)`);
    expect(lines).toContain(`a member of @${Z}acme/sre`);
    expect(lines).toContain(`lb.tf needs @${Z}olga`);
    // Every name written once one way: no bare team or login beside its @ form.
    expect(lines).not.toMatch(/(?<![@\u200b\w])(?:acme\/sre|acme\/dba|carol|olga)\b/);
  });
});
