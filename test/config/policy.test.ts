import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, parsePolicy } from "../../src/config/policy.js";
import { unsafeRegexReason } from "../../src/config/safe-regex.js";
import { RULES } from "../../src/rules/catalog.js";

const PARAMS = Object.keys(
  RULES.find((rule) => rule.id === "lb.health-check.detection-too-fast")!.params,
).join(", ");

describe("parsePolicy", () => {
  it("gives the documented defaults for an absent or empty file", () => {
    expect(parsePolicy(undefined)).toEqual({ ok: true, policy: DEFAULT_POLICY });
    expect(parsePolicy("# nothing\n")).toMatchObject({ ok: true });
    expect(DEFAULT_POLICY.requirements).toEqual({
      low: {
        approvals: 1,
        teams: [],
        codeOwners: false,
        testPlan: false,
        rollbackPlan: false,
        checklist: false,
      },
      medium: {
        approvals: 1,
        teams: [],
        codeOwners: false,
        testPlan: true,
        rollbackPlan: false,
        checklist: false,
      },
      high: {
        approvals: 2,
        teams: [],
        codeOwners: false,
        testPlan: true,
        rollbackPlan: true,
        checklist: false,
      },
      critical: {
        approvals: 2,
        teams: [],
        codeOwners: false,
        testPlan: true,
        rollbackPlan: true,
        checklist: true,
      },
    });
    expect(DEFAULT_POLICY.emergency).toEqual({
      label: "changegate:emergency",
      allowed: ["admin", "maintain"],
    });
    expect(DEFAULT_POLICY.approvals).toEqual({
      invalidateOn: "infra-change",
      allowContributors: false,
    });
    expect(DEFAULT_POLICY.limits.maxFileBytes).toBe(1_048_576);
  });

  it("overrides only the keys a level gives; a forgotten level keeps its defaults", () => {
    const result = parsePolicy(
      "requirements:\n  high: { approvals: 3 }\n  low: { approvals: 0 }\n",
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.policy.requirements.high).toMatchObject({
      approvals: 3,
      testPlan: true,
      rollbackPlan: true,
    });
    expect(result.policy.requirements.low.approvals).toBe(0);
    expect(result.policy.requirements.medium).toMatchObject({ approvals: 1, testPlan: true });
  });

  it("reports every problem with its key path and line, in one run", () => {
    const result = parsePolicy(
      "requirements:\n  high:\n    approvals: two\n  severe: {}\nrules:\n  no.such.rule: { enabled: false }\n  lb.health-check.detection-too-fast:\n    params: { minEjectSeconds: fast, nope: 1 }\n",
    );
    expect(
      result.ok ? [] : result.problems.map((p) => `${p.line} ${p.path}: ${p.message}`),
    ).toEqual([
      '3 requirements.high.approvals: expected a whole number from 0 to 20, got "two"',
      "4 requirements.severe: unknown key (the keys here are low, medium, high, critical)",
      "6 rules.no.such.rule: unknown rule id (see `changegate rules`)",
      '8 rules.lb.health-check.detection-too-fast.params.minEjectSeconds: expected a number like the default 20, got "fast"',
      `8 rules.lb.health-check.detection-too-fast.params.nope: unknown parameter (the rule's parameters: ${PARAMS})`,
    ]);
  });

  it("validates custom rules: value required by the condition, unsafe regexes refused", () => {
    const custom = (rule: string) => parsePolicy(`custom:\n  - ${rule}\n`);
    const base = 'id: custom.x, files: "**/*.yaml", path: "a.b", severity: high, message: m';
    expect(custom(`{ ${base}, when: above }`)).toMatchObject({
      ok: false,
      problems: [{ path: "custom.0.value" }],
    });
    expect(custom(`{ ${base}, when: matches, value: "(a+)+$" }`)).toMatchObject({
      ok: false,
      problems: [{ path: "custom.0.value", line: 2 }],
    });
    expect(custom(`{ ${base}, when: matches, value: "^prod-[a-z]+$" }`)).toMatchObject({
      ok: true,
    });
    expect(custom(`{ ${base}, when: sometimes }`)).toMatchObject({
      ok: false,
      problems: [{ path: "custom.0.when" }],
    });
  });

  it("rejects unknown keys and YAML that is not a policy", () => {
    expect(parsePolicy("requirement: {}\n")).toMatchObject({
      ok: false,
      problems: [{ message: 'unknown key (did you mean "requirements"?)' }],
    });
    expect(parsePolicy("a: [\n")).toMatchObject({ ok: false, problems: [{ path: "(file)" }] });
    expect(parsePolicy("a: 1\na: 2\n")).toMatchObject({
      ok: false,
      problems: [
        { code: "policy.duplicate-key", line: 2 },
        { code: "policy.unknown-key", line: 2 },
      ],
    });
  });
});

describe("unsafeRegexReason", () => {
  it.each([["(a+)+"], ["(a|aa)*"], ["(\\d+\\s?)+$"], ["(x)\\1"], ["(?=a)b"], ["["]])(
    "refuses %s",
    (pattern) => {
      expect(unsafeRegexReason(pattern)).toBeDefined();
    },
  );
  it.each([["^[A-Z]+-\\d+$"], ["ab+c"], ["(ab)?c"], ["(foo|bar)-\\d+"], ["[(+)]+"]])(
    "accepts %s",
    (pattern) => {
      expect(unsafeRegexReason(pattern)).toBeUndefined();
    },
  );
});
