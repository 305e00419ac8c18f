import { describe, expect, it } from "vitest";
import {
  evaluateCodeOwners,
  ownersOf,
  parseCodeOwners,
  patternMatcher,
  type CodeOwnersInput,
} from "../../src/gates/code-owners.js";

describe("patternMatcher (gitignore-style, as GitHub's CODEOWNERS)", () => {
  const cases: [pattern: string, path: string, matches: boolean][] = [
    ["*", "lb.tf", true],
    ["*", "deploy/lb/web.yaml", true],
    ["*.tf", "lb.tf", true],
    ["*.tf", "infra/aws/lb.tf", true],
    ["*.tf", "lb.tf.bak", false],
    ["*.TF", "lb.tf", false], // paths are case-sensitive
    ["lb.tf", "infra/lb.tf", true], // no slash: any depth
    ["/lb.tf", "infra/lb.tf", false], // leading slash: the root only
    ["/lb.tf", "lb.tf", true],
    ["/infra/", "infra/aws/lb.tf", true], // trailing slash: the directory and everything in it
    ["/infra/", "modules/infra/lb.tf", false],
    ["/infra/", "infra", false],
    ["infra/", "modules/infra/lb.tf", true], // only a trailing slash: a directory at any depth
    ["/infra", "infra/lb.tf", true], // a directory named without the slash
    ["docs/**", "docs/a/b.md", true],
    ["docs/**", "x/docs/a.md", false], // a slash inside anchors at the root
    ["docs/*", "docs/getting-started.md", true],
    ["docs/*", "docs/build-app/troubleshooting.md", false],
    ["**/lb/*.yaml", "lb/web.yaml", true],
    ["**/lb/*.yaml", "deploy/k8s/lb/web.yaml", true],
    ["**/lb/*.yaml", "deploy/lb/extra/web.yaml", false],
    ["apps/**/config.yaml", "apps/web/prod/config.yaml", true],
    ["deploy/?b.yaml", "deploy/lb.yaml", true],
    [".github/", ".github/changegate.yml", true],
    ["config[1].yaml", "config[1].yaml", true], // no character ranges in CODEOWNERS: literal
    ["config[1].yaml", "config1.yaml", false],
    ["{a,b}.tf", "a.tf", false], // no braces either
  ];
  it.each(cases)("%s vs %s → %s", (pattern, path, matches) => {
    expect(patternMatcher(pattern)(path)).toBe(matches);
  });
});

const CODEOWNERS = [
  "# Default owners",
  "*                  @acme/platform",
  "*.tf               @acme/sre admin@acme.example # Terraform",
  "/deploy/lb/        @zoe @acme/net",
  "/deploy/lb/README.md",
  "!negated.tf        @nobody",
  "",
].join("\n");

describe("parseCodeOwners and ownersOf", () => {
  const rules = parseCodeOwners(CODEOWNERS);

  it("reads patterns, owners and lines; skips comments and negations", () => {
    expect(rules.map((rule) => [rule.pattern, rule.line, rule.owners.length])).toEqual([
      ["*", 2, 1],
      ["*.tf", 3, 2],
      ["/deploy/lb/", 4, 2],
      ["/deploy/lb/README.md", 5, 0],
    ]);
    expect(rules[1]!.owners).toEqual([
      { kind: "team", team: "acme/sre" },
      { kind: "email", email: "admin@acme.example" },
    ]);
  });

  const cases: [path: string, owners: string[]][] = [
    ["app.py", ["acme/platform"]],
    ["infra/lb.tf", ["acme/sre", "admin@acme.example"]], // the last matching pattern wins
    ["deploy/lb/web.yaml", ["zoe", "acme/net"]],
    ["deploy/lb/main.tf", ["zoe", "acme/net"]], // later than *.tf
    ["deploy/lb/README.md", []], // a pattern without owners removes ownership
  ];
  it.each(cases)("%s is owned by %j", (path, owners) => {
    expect(
      ownersOf(rules, path).map((owner) =>
        owner.kind === "user" ? owner.login : owner.kind === "team" ? owner.team : owner.email,
      ),
    ).toEqual(owners);
  });
});

describe("evaluateCodeOwners", () => {
  const base: CodeOwnersInput = {
    required: true,
    paths: ["infra/lb.tf"],
    codeowners: CODEOWNERS,
    counted: [],
    teams: { "acme/sre": ["carol"], "acme/net": ["nina"], "acme/platform": ["pat"] },
  };
  const cases: {
    name: string;
    input: Partial<CodeOwnersInput>;
    status: string;
    detail: string;
  }[] = [
    {
      name: "not required",
      input: { required: false },
      status: "not-required",
      detail: "code-owner approval not required at this risk",
    },
    {
      name: "a member of the owning team approved",
      input: { counted: ["bob", "carol"] },
      status: "pass",
      detail: "approved by code owners: infra/lb.tf (@carol)",
    },
    {
      name: "an owner named directly approved",
      input: { paths: ["deploy/lb/web.yaml"], counted: ["Zoe"] },
      status: "pass",
      detail: "approved by code owners: deploy/lb/web.yaml (@Zoe)",
    },
    {
      name: "an approval by someone else does not satisfy the owners",
      input: { counted: ["bob", "pat"] },
      status: "fail",
      detail: "infra/lb.tf needs @acme/sre",
    },
    {
      name: "each owned file needs its owners",
      input: { paths: ["infra/lb.tf", "deploy/lb/web.yaml"], counted: ["carol"] },
      status: "fail",
      detail: "deploy/lb/web.yaml needs @zoe or @acme/net",
    },
    {
      name: "files without owners pass",
      input: { paths: ["deploy/lb/README.md"] },
      status: "pass",
      detail: "no changed file has code owners",
    },
    {
      name: "an owning team whose members are unknown cannot approve",
      input: { teams: {}, counted: ["carol"] },
      status: "fail",
      // Says why, and what token the Action needs (as the teams gate does).
      detail:
        "infra/lb.tf needs @acme/sre; membership of @acme/sre unknown (the team does not exist, or Changegate's token cannot read its members: a workflow's GITHUB_TOKEN never can; the Action needs a token with read:org, docs/action.md#known-limits)",
    },
    {
      name: "no CODEOWNERS file while the policy requires code owners",
      input: { codeowners: null },
      status: "fail",
      detail: "the policy requires code-owner approval but the base branch has no CODEOWNERS file",
    },
  ];
  it.each(cases)("$name", ({ input, status, detail }) => {
    expect(evaluateCodeOwners({ ...base, ...input }).result).toMatchObject({
      gate: "codeOwners",
      status,
      detail,
    });
  });
});
