import { z } from "zod";
import { at, toPlain } from "../formats/tree.js";
import { parseYaml } from "../formats/yaml.js";
import { RULES } from "../rules/catalog.js";
import { SEVERITIES, type Severity } from "../rules/severity.js";
import { policySchema, type ParsedPolicy, type RequirementInput } from "./schema.js";
import { unsafeRegexReason } from "./safe-regex.js";

export type RiskLevel = Exclude<Severity, "none">;

/** What one risk level requires, every field explicit. */
export interface Requirement {
  readonly approvals: number;
  readonly teams: readonly string[];
  readonly codeOwners: boolean;
  readonly testPlan: boolean;
  readonly rollbackPlan: boolean;
  readonly checklist: boolean;
}

export interface Policy extends Omit<ParsedPolicy, "requirements"> {
  readonly requirements: Readonly<Record<RiskLevel, Requirement>>;
}

/** A problem in a policy file: where (key path and line) and what. */
export interface PolicyProblem {
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

export type PolicyResult =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly problems: PolicyProblem[] };

/** What risk `none` requires, and what every level starts from (docs/configuration.md, `requirements`). */
export const NOTHING: Requirement = {
  approvals: 0,
  teams: [],
  codeOwners: false,
  testPlan: false,
  rollbackPlan: false,
  checklist: false,
};

/** The defaults of docs/configuration.md: a level requires nothing only when the policy says so. */
export const DEFAULT_REQUIREMENTS: Readonly<Record<RiskLevel, Requirement>> = {
  low: { ...NOTHING, approvals: 1 },
  medium: { ...NOTHING, approvals: 1, testPlan: true },
  high: { ...NOTHING, approvals: 2, testPlan: true, rollbackPlan: true },
  critical: { ...NOTHING, approvals: 2, testPlan: true, rollbackPlan: true, checklist: true },
};

export const DEFAULT_POLICY: Policy = resolve(policySchema.parse({}));

/** Parses and validates policy text (YAML). Problems carry the key path and the line. */
export function parsePolicy(text: string | null | undefined): PolicyResult {
  if (text === null || text === undefined || text.trim() === "")
    return { ok: true, policy: DEFAULT_POLICY };
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    return {
      ok: false,
      problems: parsed.problems.map((problem) => ({
        path: "(file)",
        line: problem.line,
        message: problem.message,
      })),
    };
  }
  const duplicate = parsed.warnings.find((warning) => warning.code === "parse.duplicate-key");
  if (duplicate)
    return {
      ok: false,
      problems: [{ path: "(file)", line: duplicate.line, message: duplicate.message }],
    };
  const tree = parsed.tree;
  const data =
    tree.kind === "map"
      ? toPlain(tree)
      : tree.kind === "scalar" && tree.value === null
        ? {}
        : toPlain(tree);
  return validatePolicyObject(data, (path) => at(tree, ...path.map(String))?.line ?? 1);
}

/** Validates an already-loaded object (Probot's `context.config` result), lines unknown unless given. */
export function validatePolicyObject(
  data: unknown,
  lineOf: (path: readonly (string | number)[]) => number = () => 1,
): PolicyResult {
  const result = policySchema.safeParse(data ?? {});
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues
        .map((issue) => ({
          path: issue.path.length > 0 ? issue.path.join(".") : "(root)",
          line: lineOf(issue.path as (string | number)[]),
          message: issueMessage(issue),
        }))
        .sort((a, b) => a.line - b.line),
    };
  }
  const problems = semanticProblems(result.data, lineOf);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy: resolve(result.data) };
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown key(s): ${issue.keys.join(", ")}`;
  if (issue.code === "invalid_value" && "values" in issue) {
    return `must be one of ${(issue.values as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`;
  }
  return issue.message;
}

/** Checks zod cannot express: rule ids exist, params are the rule's, regexes are safe. */
function semanticProblems(
  policy: ParsedPolicy,
  lineOf: (path: readonly (string | number)[]) => number,
): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const customIds = new Set(policy.custom.map((rule) => rule.id));
  for (const [id, setting] of Object.entries(policy.rules)) {
    const rule = RULES.find((candidate) => candidate.id === id);
    if (!rule && !customIds.has(id)) {
      problems.push({
        path: `rules.${id}`,
        line: lineOf(["rules", id]),
        message: `unknown rule "${id}" (see \`changegate rules\`)`,
      });
      continue;
    }
    for (const [name, value] of Object.entries(setting.params ?? {})) {
      const spec = rule?.params[name];
      if (!spec) {
        problems.push({
          path: `rules.${id}.params.${name}`,
          line: lineOf(["rules", id, "params", name]),
          message: `rule "${id}" has no parameter "${name}"`,
        });
      } else if (typeof spec.default !== typeof value) {
        problems.push({
          path: `rules.${id}.params.${name}`,
          line: lineOf(["rules", id, "params", name]),
          message: `must be a ${typeof spec.default}, like the default ${JSON.stringify(spec.default)}`,
        });
      }
    }
  }
  const seen = new Set<string>();
  policy.custom.forEach((rule, index) => {
    if (seen.has(rule.id))
      problems.push({
        path: `custom.${index}.id`,
        line: lineOf(["custom", index, "id"]),
        message: `duplicate custom rule id "${rule.id}"`,
      });
    seen.add(rule.id);
    if (rule.when === "matches" && typeof rule.value === "string") {
      const reason = unsafeRegexReason(rule.value);
      if (reason)
        problems.push({
          path: `custom.${index}.value`,
          line: lineOf(["custom", index, "value"]),
          message: reason,
        });
    }
  });
  const trackerReason = unsafeRegexReason(policy.testPlan.trackerKeyPattern);
  if (trackerReason) {
    problems.push({
      path: "testPlan.trackerKeyPattern",
      line: lineOf(["testPlan", "trackerKeyPattern"]),
      message: trackerReason,
    });
  }
  return problems;
}

function resolve(parsed: ParsedPolicy): Policy {
  const requirements = {} as Record<RiskLevel, Requirement>;
  for (const level of SEVERITIES.filter((severity): severity is RiskLevel => severity !== "none")) {
    const given: RequirementInput = parsed.requirements[level] ?? {};
    const defaults = DEFAULT_REQUIREMENTS[level];
    requirements[level] = {
      approvals: given.approvals ?? defaults.approvals,
      teams: given.teams ?? defaults.teams,
      codeOwners: given.codeOwners ?? defaults.codeOwners,
      testPlan: given.testPlan ?? defaults.testPlan,
      rollbackPlan: given.rollbackPlan ?? defaults.rollbackPlan,
      checklist: given.checklist ?? defaults.checklist,
    };
  }
  return { ...parsed, requirements };
}
