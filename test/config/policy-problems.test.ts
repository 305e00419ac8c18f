import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { didYouMean, editDistance, nearest } from "../../src/config/did-you-mean.js";
import { parsePolicy, validatePolicyObject } from "../../src/config/policy.js";
import { run } from "../cli/cli-helpers.js";
import { repoRoot } from "../helpers.js";

const lines = (text: string): string[] => {
  const result = parsePolicy(text);
  return result.ok ? [] : result.problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
};

// One policy with a problem of every kind, each in a part that another problem makes invalid.
const BROKEN = `file:
  include: "deploy/*.conf"
requirements:
  high:
    approvals: two
    teams: [lbteam]
rules:
  lb.health-check.detection-too-fsat: { enabled: false }
  lb.health-check.detection-too-fast:
    params: { minEjectSecond: 30, maxDropRatio: half }
    enable: true
custom:
  - id: custom.open
    files: "k8s/**"
    path: data.cidr
    when: matches
    value: "(a+)+$"
    severity: hihg
    message: open
  - id: custom.open
    when: above
    severity: high
    message: ""
testPlan:
  links: []
  trackerKeyPattern: "(?<=x)y"
approvals:
  invalidateOn: nevr
limits: { maxFileBytes: 1.5 }
`;

describe("validate-config reports every problem in one run (issue 12, item 4)", () => {
  it("lists schema problems, unknown ids and parameters, unsafe regexes and duplicates together, by line", () => {
    expect(lines(BROKEN)).toEqual([
      '1 file: unknown key (did you mean "files"?)',
      '5 requirements.high.approvals: expected a whole number from 0 to 20, got "two"',
      '6 requirements.high.teams.0: expected `org/team-slug`, got "lbteam"',
      '8 rules.lb.health-check.detection-too-fsat: unknown rule id (did you mean "lb.health-check.detection-too-fast"?)',
      '10 rules.lb.health-check.detection-too-fast.params.minEjectSecond: unknown parameter (did you mean "minEjectSeconds"?)',
      '10 rules.lb.health-check.detection-too-fast.params.maxDropRatio: expected a number like the default 0.5, got "half"',
      '11 rules.lb.health-check.detection-too-fast.enable: unknown key (did you mean "enabled"?)',
      "17 custom.0.value: nested quantifiers (e.g. (a+)+ or (a|b)*) can take exponential time: simplify the pattern",
      '18 custom.0.severity: expected one of "none", "low", "medium", "high", "critical", got "hihg" (did you mean "high"?)',
      "20 custom.1.files: missing, expected a glob or a non-empty list of globs",
      "20 custom.1.path: missing, expected a non-empty string",
      "20 custom.1.value: missing, expected a number (the bound of `when: above`)",
      "20 custom.1.id: duplicate id, custom.0 has it too",
      '23 custom.1.message: expected a non-empty string, got ""',
      '25 testPlan.links: expected a non-empty list of values among "url", "issue", "cross-repo-issue", "tracker-key", got an empty list',
      "26 testPlan.trackerKeyPattern: lookarounds are not allowed in policy regular expressions",
      '28 approvals.invalidateOn: expected one of "infra-change", "any-push", "never", got "nevr" (did you mean "never"?)',
      "29 limits.maxFileBytes: expected a whole number from 1024 to 52428800, got 1.5",
    ]);
  });

  it("gives each problem a closed code", () => {
    const result = parsePolicy(BROKEN);
    expect(result.ok ? [] : [...new Set(result.problems.map((p) => p.code))].sort()).toEqual([
      "policy.duplicate-id",
      "policy.invalid-value",
      "policy.unknown-key",
      "policy.unknown-parameter",
      "policy.unknown-rule",
      "policy.unsafe-regex",
    ]);
  });

  it("walks the rules and custom rules even when other keys have the wrong type", () => {
    expect(
      lines(
        "requirements: [high]\nfiles: 3\nrules:\n  lb.nope: {}\ncustom:\n  - { id: custom.a, when: matches, value: '(x)\\1' }\n",
      ),
    ).toEqual([
      "1 requirements: expected a mapping with the keys low, medium, high, critical, got a list",
      "2 files: expected a mapping with the keys include, exclude, formats, got 3",
      expect.stringMatching(/^4 rules\.lb\.nope: unknown rule id/),
      "6 custom.0.files: missing, expected a glob or a non-empty list of globs",
      "6 custom.0.path: missing, expected a non-empty string",
      '6 custom.0.severity: missing, expected one of "none", "low", "medium", "high", "critical"',
      "6 custom.0.message: missing, expected a non-empty string",
      "6 custom.0.value: backreferences are not allowed in policy regular expressions",
    ]);
  });

  it("reports duplicate keys beside the other problems, and a syntax error alone with its line", () => {
    expect(lines("approvals:\n  invalidateOn: never\n  invalidateOn: never\nlimits: 3\n")).toEqual([
      '3 (file): duplicate key "invalidateOn": tools disagree on which value wins (this one is used)',
      "4 limits: expected a mapping with the keys maxFileBytes, maxTotalBytes, got 3",
    ]);
    expect(lines("rules:\n  a: [\n")).toEqual([expect.stringMatching(/^3 \(file\): /)]);
  });

  it("points a missing key at the mapping that lacks it, and a bad list item at the item", () => {
    expect(
      lines(
        "custom:\n  - id: custom.a\n    files: [a, '']\n    path: x\n    when: added\n    severity: low\n",
      ),
    ).toEqual([
      "2 custom.0.message: missing, expected a non-empty string",
      '3 custom.0.files.1: expected a glob, got ""',
    ]);
  });
});

describe("did you mean", () => {
  it.each([
    ["file", "file:\n  include: []\n", '1 file: unknown key (did you mean "files"?)'],
    [
      "aproval",
      "requirements:\n  high: { aproval: 2 }\n",
      '2 requirements.high.aproval: unknown key (did you mean "approvals"?)',
    ],
    [
      "a swap",
      "rollbackPlan:\n  haedings: [Rollback]\n",
      '2 rollbackPlan.haedings: unknown key (did you mean "headings"?)',
    ],
    [
      "a parameter one typo away",
      "rules:\n  lb.health-check.detection-too-fast:\n    params: { minEjectSecond: 3 }\n",
      '3 rules.lb.health-check.detection-too-fast.params.minEjectSecond: unknown parameter (did you mean "minEjectSeconds"?)',
    ],
    [
      "a parameter outside params",
      "rules:\n  lb.health-check.detection-too-fast:\n    minEjectSeconds: 3\n",
      '3 rules.lb.health-check.detection-too-fast.minEjectSeconds: unknown key (did you mean "params.minEjectSeconds"?)',
    ],
    [
      "a risk level at the top",
      "high: { approvals: 3 }\n",
      '1 high: unknown key (did you mean "requirements.high"?)',
    ],
    [
      "a rule id at the top",
      "lb.health-check.detection-too-fast: { enabled: false }\n",
      '1 lb.health-check.detection-too-fast: unknown key (did you mean "rules.lb.health-check.detection-too-fast"?)',
    ],
    [
      "a rule id one typo away",
      "rules:\n  lb.health-check.detection-to-fast: { enabled: false }\n",
      '2 rules.lb.health-check.detection-to-fast: unknown rule id (did you mean "lb.health-check.detection-too-fast"?)',
    ],
    [
      "a rule id without its family",
      "rules:\n  detection-too-fast: { enabled: false }\n",
      '2 rules.detection-too-fast: unknown rule id (did you mean "lb.health-check.detection-too-fast"?)',
    ],
    [
      "a custom rule's id",
      "rules:\n  custom.paymnts: { severity: low }\ncustom:\n  - { id: custom.payments, files: a, path: b, when: added, severity: low, message: m }\n",
      '2 rules.custom.paymnts: unknown rule id (did you mean "custom.payments"?)',
    ],
    [
      "a value",
      "approvals:\n  invalidateOn: any_push\n",
      '2 approvals.invalidateOn: expected one of "infra-change", "any-push", "never", got "any_push" (did you mean "any-push"?)',
    ],
  ])("%s", (_name, policy, expected) => {
    expect(lines(policy)).toEqual([expected]);
  });

  it("suggests nothing when no known name is near", () => {
    expect(lines("rules:\n  kubernetes.everything: {}\n")).toEqual([
      "2 rules.kubernetes.everything: unknown rule id (see `changegate rules`)",
    ]);
    expect(didYouMean("zzz", ["files", "rules"])).toBe("");
    expect(nearest("id", ["if", "io"])).toEqual(["if", "io"]);
  });

  it("counts insertions, deletions, substitutions and swaps as one edit each", () => {
    expect(editDistance("file", "files")).toBe(1);
    expect(editDistance("files", "file")).toBe(1);
    expect(editDistance("fiels", "files")).toBe(1);
    expect(editDistance("flies", "files")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});

// Shapes of every message the project writes; zod's own ("Invalid input: expected string,
// received number", "Too small: …", "Unrecognized key") must never show.
const PROJECT_WORDING =
  /^(expected .+, got .+|missing, expected .+|unknown (key|rule id|parameter)( \(.+\))?|duplicate id, .+|invalid regular expression: .+|regular expression longer .+|backreferences .+|lookarounds .+|nested quantifiers .+|unbalanced parentheses|the pattern cannot run .+|duplicate key .+)$/;

const KEYS = [
  "files",
  "include",
  "exclude",
  "formats",
  "rules",
  "custom",
  "requirements",
  "high",
  "low",
  "approvals",
  "teams",
  "codeOwners",
  "testPlan",
  "headings",
  "links",
  "trackerKeyPattern",
  "rollbackPlan",
  "emergency",
  "label",
  "allowed",
  "invalidateOn",
  "allowContributors",
  "checklist",
  "allowAuthor",
  "limits",
  "maxFileBytes",
  "maxTotalBytes",
  "id",
  "path",
  "when",
  "value",
  "severity",
  "message",
  "enabled",
  "params",
  "minEjectSeconds",
  "lb.health-check.detection-too-fast",
  "custom.x",
  "fil",
  "aproval",
  "",
];

const leaf = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    0,
    -1,
    1.5,
    3,
    99_999_999,
    "",
    "x",
    "org/team",
    "custom.x",
    "(a+)+",
    "high",
    "never",
    "**/*.yaml",
    "above",
    "matches",
  ),
  fc.string({ maxLength: 6 }),
);
const { value: policyValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 4 }),
  ),
}));
const policyObject = fc.dictionary(fc.constantFrom(...KEYS), policyValue, { maxKeys: 6 });

describe("one wording style", () => {
  it("never lets zod's wording through, whatever the malformed policy", () => {
    let judged = 0;
    fc.assert(
      fc.property(policyObject, (data) => {
        for (const result of [validatePolicyObject(data), parsePolicy(stringify(data))]) {
          if (result.ok) continue;
          for (const problem of result.problems) {
            judged++;
            expect(problem.message).not.toMatch(
              /Invalid input|received|Too (small|big)|Unrecognized|Invalid (string|option)/,
            );
            expect(problem.message).toMatch(PROJECT_WORDING);
          }
        }
      }),
      { numRuns: 200 },
    );
    // The generator must reach the problems it checks: a run of only valid policies checks nothing.
    expect(judged).toBeGreaterThan(100);
  });
});

describe("changegate validate-config", () => {
  it("prints every problem as FILE:LINE: path: message by line, then how many, and exits 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cg-policy-"));
    const file = join(dir, "changegate.yml");
    writeFileSync(
      file,
      "rules:\n  lb.nope: {}\napprovals:\n  invalidateOn: sometimes\nemergency:\n  label: ''\n",
    );
    const { code, out, err } = await run("validate-config", file);
    expect({ code, out }).toEqual({ code: 2, out: "" });
    expect(err.trim().split("\n")).toEqual([
      `${file}:2: rules.lb.nope: unknown rule id (see \`changegate rules\`)`,
      `${file}:4: approvals.invalidateOn: expected one of "infra-change", "any-push", "never", got "sometimes"`,
      `${file}:6: emergency.label: expected a non-empty string, got ""`,
      "3 problems",
    ]);
    writeFileSync(file, "file: {}\n");
    expect((await run("validate-config", file)).err).toBe(
      `${file}:1: file: unknown key (did you mean "files"?)\n1 problem\n`,
    );
  });
});

describe("docs/configuration.md", () => {
  it("shows what validate-config really prints for its example policy", async () => {
    const doc = readFileSync(join(repoRoot, "docs/configuration.md"), "utf8");
    const [, policy, printed] =
      /This policy:\n\n```yaml\n([\s\S]*?)```\n\ngives\n\n```text\n([\s\S]*?)```/.exec(doc) ?? [];
    const dir = mkdtempSync(join(tmpdir(), "cg-policy-"));
    const file = join(dir, "changegate.yml");
    writeFileSync(file, policy ?? "");
    const { code, err } = await run("validate-config", file);
    expect(code).toBe(2);
    expect(err.replaceAll(file, ".github/changegate.yml")).toBe(printed);
  });
});
