import { at, toPlain, type TreeNode } from "../formats/tree.js";
import type { ParseResult } from "../formats/types.js";
import { parseYaml } from "../formats/yaml.js";
import { RULES } from "../rules/catalog.js";
import { SEVERITIES, type Severity } from "../rules/severity.js";
import { policySchema, type ParsedPolicy, type RequirementInput } from "./schema.js";
import { didYouMean, nearest, suggest } from "./did-you-mean.js";
import { unsafeRegexReason } from "./safe-regex.js";
import { scheduleProblems } from "./schedule.js";
import { expectedGot, wordIssue } from "./wording.js";

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

/** What kind of problem: closed, so a caller can tell a typo from a wrong value without reading prose. */
export type PolicyProblemCode =
  | "policy.yaml"
  | "policy.duplicate-key"
  | "policy.unknown-key"
  | "policy.invalid-value"
  | "policy.unknown-rule"
  | "policy.unknown-parameter"
  | "policy.duplicate-id"
  | "policy.unsafe-regex";

/** A problem in a policy file: where (key path and line) and what. */
export interface PolicyProblem {
  readonly code: PolicyProblemCode;
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

/**
 * A problem as the CLI prints it after `FILE:LINE: `: `key.path: message`, or for text that is not
 * YAML (or repeats a key), what is wrong with the file itself.
 */
export function problemText(problem: PolicyProblem): string {
  if (problem.code === "policy.yaml") return `not valid YAML: ${problem.message}`;
  if (problem.path === "(file)") return problem.message;
  return `${problem.path}: ${problem.message}`;
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
const DEFAULT_REQUIREMENTS: Readonly<Record<RiskLevel, Requirement>> = {
  low: { ...NOTHING, approvals: 1 },
  medium: { ...NOTHING, approvals: 1, testPlan: true },
  high: { ...NOTHING, approvals: 2, testPlan: true, rollbackPlan: true },
  critical: { ...NOTHING, approvals: 2, testPlan: true, rollbackPlan: true, checklist: true },
};

export const DEFAULT_POLICY: Policy = resolve(policySchema.parse({}));

type KeyPath = readonly (string | number)[];

/**
 * Parses and validates policy text (YAML). Every problem is reported in one run, each with its key
 * path and line, sorted by line: the schema's, and the checks it cannot express (rule ids,
 * parameters, regexes, duplicate ids) on whatever parts can be read, even when others are wrong.
 */
export function parsePolicy(text: string | null | undefined): PolicyResult {
  if (text === null || text === undefined || text.trim() === "")
    return { ok: true, policy: DEFAULT_POLICY };
  return policyOfYaml(parseYaml(text));
}

/** `parsePolicy` for text already read by `parseYaml`, for a caller that looks at the tree too. */
export function policyOfYaml(parsed: ParseResult): PolicyResult {
  if (!parsed.ok) {
    return {
      ok: false,
      problems: parsed.problems.map((problem) => ({
        code: "policy.yaml" as const,
        path: "(file)",
        line: problem.line,
        message: problem.message,
      })),
    };
  }
  const duplicates: PolicyProblem[] = parsed.warnings
    .filter((warning) => warning.code === "parse.duplicate-key")
    .map((warning) => ({
      code: "policy.duplicate-key",
      path: "(file)",
      line: warning.line,
      message: warning.message,
    }));
  const tree = parsed.tree;
  const data = tree.kind === "scalar" && tree.value === null ? {} : toPlain(tree);
  const result = validatePolicyObject(data, (path) => lineAt(tree, path));
  if (duplicates.length === 0) return result;
  return {
    ok: false,
    problems: sortProblems([...duplicates, ...(result.ok ? [] : result.problems)], data),
  };
}

/** The line of the deepest node of the path that exists (a missing key: the line of its parent). */
function lineAt(tree: TreeNode, path: KeyPath): number {
  let line = tree.line;
  for (let depth = 1; depth <= path.length; depth++) {
    const node = at(tree, ...path.slice(0, depth).map(String));
    if (!node) break;
    line = node.line;
  }
  return line;
}

/** Validates an already-loaded object (Probot's `context.config` result), lines unknown unless given. */
export function validatePolicyObject(
  data: unknown,
  lineOf: (path: KeyPath) => number = () => 1,
): PolicyResult {
  const input = data ?? {};
  const result = policySchema.safeParse(input);
  const semantic = semanticProblems(input);
  // A check of our own says more than the schema about the same key (a parameter's type).
  const checked = new Set(semantic.map((problem) => pathText(problem.path)));
  const schema = result.success
    ? []
    : result.error.issues
        .flatMap((issue) => wordIssue(policySchema, input, issue, unknownKeyHint))
        .filter((problem) => !checked.has(pathText(problem.path)));
  const all = [...schema, ...semantic];
  if (all.length === 0 && result.success) return { ok: true, policy: resolve(result.data) };
  const problems = unique(
    all.map((problem) => ({
      code: problem.code,
      path: pathText(problem.path),
      line: lineOf(problem.path),
      message: problem.message,
    })),
  );
  return { ok: false, problems: sortProblems(problems, input) };
}

/** `requirements.high.approvals`; an empty key shows as `""`. */
const pathText = (path: KeyPath): string =>
  path.length > 0
    ? path.map((segment) => (segment === "" ? '""' : String(segment))).join(".")
    : "(root)";

function unique(problems: PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\n${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** By line, then in the order the keys stand in the file (two problems of one flow mapping). */
function sortProblems(problems: PolicyProblem[], data: unknown): PolicyProblem[] {
  const order = documentOrder(data);
  // A missing key ranks with the deepest key of its path that is there.
  const rank = (path: string): number => {
    let prefix = path;
    while (!order.has(prefix) && prefix.includes("."))
      prefix = prefix.slice(0, prefix.lastIndexOf("."));
    return order.get(prefix) ?? 0;
  };
  return problems
    .map((problem, index) => ({ problem, index, rank: rank(problem.path) }))
    .sort((a, b) => a.problem.line - b.problem.line || a.rank - b.rank || a.index - b.index)
    .map(({ problem }) => problem);
}

/** Every key path of the data, numbered in document order. */
function documentOrder(data: unknown): Map<string, number> {
  const order = new Map<string, number>();
  const walk = (value: unknown, path: string): void => {
    order.set(path, order.size);
    if (value === null || typeof value !== "object") return;
    const entries = Array.isArray(value)
      ? value.map((item, index) => [String(index), item] as const)
      : Object.entries(value);
    for (const [key, child] of entries) walk(child, path === "" ? key : `${path}.${key}`);
  };
  walk(data, "");
  order.set("(root)", 0);
  order.set("(file)", 0);
  return order;
}

interface Located {
  readonly path: KeyPath;
  readonly code: PolicyProblemCode;
  readonly message: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const ruleIds = (data: unknown): string[] => {
  const custom = isRecord(data) && Array.isArray(data.custom) ? data.custom : [];
  const customIds = custom.flatMap((rule) =>
    isRecord(rule) && typeof rule.id === "string" ? [rule.id] : [],
  );
  return [...RULES.map((rule) => rule.id), ...customIds];
};

/**
 * Where a misplaced key belongs: a rule's parameter under its `params`; at the top, a risk level
 * under `requirements` and a rule id under `rules`. "" when it is none of these.
 */
function unknownKeyHint(path: KeyPath, key: string): string {
  if (path.length === 2 && path[0] === "rules") {
    const params = Object.keys(RULES.find((rule) => rule.id === path[1])?.params ?? {});
    const near = params.includes(key) ? [key] : nearest(key, params);
    return suggest(near.map((name) => `params.${name}`));
  }
  if (path.length === 0) {
    const levels = SEVERITIES.filter((level) => level !== "none");
    const level = levels.includes(key as RiskLevel) ? [key] : nearest(key, levels);
    if (level.length > 0) return suggest(level.map((name) => `requirements.${name}`));
    const ids = RULES.map((rule) => rule.id);
    return suggest((ids.includes(key) ? [key] : nearest(key, ids)).map((id) => `rules.${id}`));
  }
  return "";
}

/**
 * Checks zod cannot express, on the raw data so that they run whatever else is wrong: rule ids
 * exist, params are the rule's and of its type, custom ids are unique, regexes are safe.
 */
function semanticProblems(data: unknown): Located[] {
  if (!isRecord(data)) return [];
  const problems: Located[] = [];
  const known = ruleIds(data);
  if (isRecord(data.rules)) {
    for (const [id, setting] of Object.entries(data.rules)) {
      const rule = RULES.find((candidate) => candidate.id === id);
      if (!known.includes(id)) {
        const hint = didYouMean(id, known) || " (see `changegate rules`)";
        problems.push({
          path: ["rules", id],
          code: "policy.unknown-rule",
          message: `unknown rule id${hint}`,
        });
        continue;
      }
      if (!isRecord(setting) || !isRecord(setting.params)) continue;
      for (const [name, value] of Object.entries(setting.params)) {
        const path = ["rules", id, "params", name];
        const spec = rule?.params[name];
        if (!spec) {
          const names = Object.keys(rule?.params ?? {});
          const hint =
            didYouMean(name, names) ||
            (names.length === 0
              ? " (this rule has no parameters)"
              : ` (the rule's parameters: ${names.join(", ")})`);
          problems.push({
            path,
            code: "policy.unknown-parameter",
            message: `unknown parameter${hint}`,
          });
        } else if (typeof spec.default !== typeof value) {
          problems.push({
            path,
            code: "policy.invalid-value",
            message: expectedGot(
              `${KINDS[typeof spec.default as keyof typeof KINDS]} like the default ${JSON.stringify(spec.default)}`,
              value,
            ),
          });
        }
      }
    }
  }
  const firstWithId = new Map<string, number>();
  (Array.isArray(data.custom) ? data.custom : []).forEach((rule: unknown, index) => {
    if (!isRecord(rule)) return;
    if (typeof rule.id === "string") {
      const first = firstWithId.get(rule.id);
      if (first !== undefined)
        problems.push({
          path: ["custom", index, "id"],
          code: "policy.duplicate-id",
          message: `duplicate id, custom.${first} has it too`,
        });
      else firstWithId.set(rule.id, index);
    }
    if (rule.when === "matches" && typeof rule.value === "string")
      problems.push(...regexProblems(["custom", index, "value"], rule.value));
  });
  const tracker = isRecord(data.testPlan) ? data.testPlan.trackerKeyPattern : undefined;
  if (typeof tracker === "string")
    problems.push(...regexProblems(["testPlan", "trackerKeyPattern"], tracker));
  for (const problem of scheduleProblems(data))
    problems.push({ ...problem, code: "policy.invalid-value" });
  return problems;
}

const KINDS = { number: "a number", string: "a string", boolean: "true or false" } as const;

function regexProblems(path: KeyPath, pattern: string): Located[] {
  const reason = unsafeRegexReason(pattern);
  return reason ? [{ path, code: "policy.unsafe-regex", message: reason }] : [];
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
