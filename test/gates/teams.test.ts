import { describe, expect, it } from "vitest";
import { evaluateTeams } from "../../src/gates/teams.js";

const TEAMS = { "acme/sre": ["carol", "dave"], "acme/dba": ["Erin"] };

describe("evaluateTeams", () => {
  const cases: {
    name: string;
    required: string[];
    counted: string[];
    /** The snapshot has no `teams` at all. */
    noTeams?: boolean;
    status: string;
    detail: string;
  }[] = [
    {
      name: "no team required",
      required: [],
      counted: ["bob"],
      status: "not-required",
      detail: "no team approvals required at this risk",
    },
    {
      name: "a member of the team approved",
      required: ["acme/sre"],
      counted: ["bob", "carol"],
      status: "pass",
      detail: "approved by @acme/sre (@carol)",
    },
    {
      name: "team names and logins match case-insensitively",
      required: ["Acme/DBA"],
      counted: ["erin"],
      status: "pass",
      detail: "approved by @Acme/DBA (@erin)",
    },
    {
      name: "no member approved",
      required: ["acme/sre"],
      counted: ["bob"],
      status: "fail",
      detail: "no approval from @acme/sre",
    },
    {
      name: "each team needs its own approval",
      required: ["acme/sre", "acme/dba"],
      counted: ["carol"],
      status: "fail",
      detail: "no approval from @acme/dba; approved by @acme/sre (@carol)",
    },
    {
      name: "an unknown membership list fails and says so",
      required: ["acme/net"],
      counted: ["carol"],
      status: "fail",
      detail:
        "membership of @acme/net unknown (the team does not exist, or Changegate's token cannot read its members: a workflow's GITHUB_TOKEN never can; the Action needs a token with read:org, docs/action.md#known-limits)",
    },
    {
      name: "no teams in the snapshot at all",
      required: ["acme/sre"],
      counted: ["carol"],
      noTeams: true,
      status: "fail",
      detail:
        "membership of @acme/sre unknown (the team does not exist, or Changegate's token cannot read its members: a workflow's GITHUB_TOKEN never can; the Action needs a token with read:org, docs/action.md#known-limits)",
    },
  ];

  it.each(cases)("$name", ({ required, counted, noTeams, status, detail }) => {
    const outcome = evaluateTeams(required, counted, noTeams ? undefined : TEAMS);
    expect(outcome.result).toMatchObject({ gate: "teams", status, detail });
    expect(outcome.shortfall === null).toBe(status !== "fail");
  });

  it("names the missing teams for the title", () => {
    expect(evaluateTeams(["acme/sre", "acme/dba"], [], TEAMS).shortfall).toBe(
      "no approval from @acme/sre, @acme/dba",
    );
  });
});
