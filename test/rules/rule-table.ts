// The one shape of a rule test: `test/rules/<family>/<rule>.test.ts` calls `ruleTable(rule, …)`
// with cases that fire and near cases that must not. Builders shared by a family's tests live in
// `test/rules/<family>/builders.ts`.
import { describe, expect, it } from "vitest";
import {
  analyze,
  type Analysis,
  type ContextFile,
  type FileInput,
} from "../../src/engine/analyze.js";
import { DEFAULT_SETTINGS, type RuleSetting } from "../../src/engine/settings.js";
import { RULES } from "../../src/rules/catalog.js";
import { atLeast, type Severity } from "../../src/rules/severity.js";
import {
  budgetExceeded,
  fileEncoding,
  fileTooLarge,
  parseFailed,
  templateUnreadable,
} from "../../src/rules/system.js";
import type { AnyRule, Finding } from "../../src/rules/types.js";
import { READABLE_FAMILIES, unchangedShown } from "./message-quality.js";

/** One finding a case expects. */
export interface ExpectedFinding {
  readonly severity: Severity;
  /**
   * The reported line: its number, or text on it, looked up in the case's `after`
   * (in `before` with `side: "before"`, for findings about something removed).
   */
  readonly line: number | string;
  /** With a text `line`: which occurrence of it, from 1. */
  readonly nth?: number;
  readonly side?: "before";
  /** A phrase of the message, or a pattern it matches. */
  readonly phrase: string | RegExp;
}

/** A change to one file and every finding the rule should report for it, in order. */
export interface RuleCase {
  readonly name: string;
  readonly before: string | null;
  readonly after: string | null;
  /** The file's path, when not the table's. */
  readonly path?: string;
  /** Other files of the same change (cross-file rules), analysed with it. */
  readonly alongside?: readonly FileInput[];
  /** Unchanged files given as the workspace's context (cross-file rules). */
  readonly context?: readonly ContextFile[];
  /** The policy's setting for the rule (params, severity), when not the defaults. */
  readonly setting?: RuleSetting;
  /** Every finding of the rule in this file, in order; `[]` is a near change that must not fire. */
  readonly expect: readonly ExpectedFinding[];
  /** With the table's `wholeAnalysis`: the other rules' findings, as `rule:severity`, in order. */
  readonly others?: readonly string[];
}

export interface RuleTableOptions {
  /** The path cases are analysed under, unless a case names its own. */
  readonly path?: string | ((c: RuleCase) => string);
  readonly cases: readonly RuleCase[];
  /**
   * The rule reports every change it reads (generic.policy.changed), so no near case it judges can
   * hold it back: its near cases are the changes it never sees.
   */
  readonly firesOnEveryChange?: true;
  /**
   * Each case lists every finding of the whole analysis: this rule's in `expect`, other rules' in
   * `others` (none unless given). For rules that read the same resources as other rules (the lb and
   * cloud families): each change is reported once, by the rule about it.
   */
  readonly wholeAnalysis?: true;
}

/**
 * The finding as `ruleId` reported it: itself when the rule is its primary, the rule's own
 * severity and message when it was merged in (src/engine/overlaps.ts), else nothing.
 */
function asReportedBy(ruleId: string, finding: Finding): Finding[] {
  if (finding.rule === ruleId) return [finding];
  const reason = finding.reasons?.find((merged) => merged.rule === ruleId);
  return reason ? [{ ...finding, severity: reason.severity, message: reason.message }] : [];
}

/**
 * The advice a high or critical finding ends with (docs/output.md): `Safe:` and a concrete value or
 * edit, a figure or a quoted name (`Safe: keep ejection ≥ 20 s, e.g. unhealthy threshold 4`).
 */
const SAFE_ADVICE = /\bSafe: [^]*?[\d"`]/;

/** Applying a finding's fix to the case's new version leaves the rule nothing high to say there. */
function expectFixPasses(ruleId: string, path: string, c: RuleCase, finding: Finding): void {
  const fix = finding.fix!;
  const lines = (c.after ?? "").split("\n");
  expect(fix.line, "the fix's line is in the new version").toBeLessThanOrEqual(lines.length);
  expect(lines[fix.line - 1], "the fix changes its line").not.toBe(fix.replacement);
  lines[fix.line - 1] = fix.replacement;
  const fixed = analyzeCase(ruleId, path, c.before, lines.join("\n"), c);
  // A fix that breaks the file would leave the rule nothing to say for the wrong reason.
  expect(
    fixed.findings
      .filter((other) => other.file === path && NOT_READ.has(other.rule))
      .map((other) => `${other.rule}: ${other.message}`),
    `line ${fix.line} as "${fix.replacement}" leaves the file readable`,
  ).toEqual([]);
  const again = fixed.findings
    .filter((other) => other.file === path)
    .flatMap((other) => asReportedBy(ruleId, other))
    .filter((other) => other.path === finding.path && atLeast(other.severity, "high"));
  expect(
    again.map((other) => other.message),
    `with line ${fix.line} as "${fix.replacement}"`,
  ).toEqual([]);
}

/** 1-based line of the n-th line of `text` that contains `marker`. */
export function lineOf(text: string, marker: string, occurrence = 1): number {
  let seen = 0;
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    if (lines[index]!.includes(marker) && ++seen === occurrence) return index + 1;
  }
  throw new Error(`marker not found: ${marker}`);
}

type CaseOptions = {
  alongside?: readonly FileInput[];
  context?: readonly ContextFile[];
  setting?: RuleSetting;
};

function analyzeCase(
  ruleId: string,
  path: string,
  before: string | null,
  after: string | null,
  options: CaseOptions,
): Analysis {
  const settings = options.setting
    ? { ...DEFAULT_SETTINGS, rules: { [ruleId]: options.setting } }
    : DEFAULT_SETTINGS;
  return analyze(
    [{ path, before, after }, ...(options.alongside ?? [])],
    settings,
    options.context ?? [],
  );
}

/** Every finding of `ruleId` in the file `path` after analysing the change. */
export function findingsOf(
  ruleId: string,
  path: string,
  before: string | null,
  after: string | null,
  options: CaseOptions = {},
): Finding[] {
  return analyzeCase(ruleId, path, before, after, options).findings.filter(
    (finding) => finding.rule === ruleId && finding.file === path,
  );
}

/** The engine's findings that say a file was not read, so no rule judged it. */
const NOT_READ = new Set([
  parseFailed.id,
  fileTooLarge.id,
  fileEncoding.id,
  budgetExceeded.id,
  templateUnreadable.id,
]);

/**
 * Why a case that expects no finding would pass without the rule judging anything, or
 * undefined: a must-not case has to be a change the rule reads and judges.
 */
function whyVacuous(rule: AnyRule, path: string, c: RuleCase): string | undefined {
  if (c.setting?.enabled === false) return "the rule is disabled";
  const analysis = analyzeCase(rule.id, path, c.before, c.after, c);
  const file = analysis.files[0]!;
  const unread = file.findings.find((finding) => NOT_READ.has(finding.rule));
  if (unread) return `the file is not read (${unread.rule})`;
  const changed = analysis.files.some((other) => other.changes.length > 0);
  if (!changed) return "the case changes nothing";
  if (rule.dialects !== "any" && !rule.dialects.includes(file.dialect))
    return `the rule does not read ${file.dialect} files`;
  return undefined;
}

function expectedLine(c: RuleCase, expected: ExpectedFinding): number {
  if (typeof expected.line === "number") return expected.line;
  const text = expected.side === "before" ? c.before : c.after;
  if (text === null) throw new Error(`${c.name}: the side that holds the line is absent`);
  return lineOf(text, expected.line, expected.nth);
}

/**
 * Describes one rule: each case reports exactly the findings it lists (severity, line, phrase,
 * with a checklist), the table holds a case that fires and a near case the rule judges and must
 * not fire on, and the rule is registered in the catalog under its family.
 */
export function ruleTable(rule: AnyRule, options: RuleTableOptions): void {
  const pathOf = (c: RuleCase): string => {
    const path = c.path ?? (typeof options.path === "function" ? options.path(c) : options.path);
    if (path === undefined) throw new Error(`${c.name}: the case names no path`);
    return path;
  };

  describe(rule.id, () => {
    it.each(options.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const path = pathOf(c);
      const { findings } = analyzeCase(rule.id, path, c.before, c.after, c);
      const found = findings
        .filter((finding) => finding.file === path)
        .flatMap((finding) => asReportedBy(rule.id, finding));
      expect(found.map(({ severity, line }) => ({ severity, line }))).toEqual(
        c.expect.map((expected) => ({
          severity: expected.severity,
          line: expectedLine(c, expected),
        })),
      );
      if (c.others && !options.wholeAnalysis)
        throw new Error(`${c.name}: \`others\` needs the table's wholeAnalysis`);
      if (options.wholeAnalysis) {
        const others = findings.filter((finding) => asReportedBy(rule.id, finding).length === 0);
        expect(others.map((finding) => `${finding.rule}:${finding.severity}`)).toEqual(
          c.others ?? [],
        );
      }
      found.forEach((finding, index) => {
        expect(finding.message).toMatch(c.expect[index]!.phrase);
        expect(finding.checklist.length, "a finding says what to check").toBeGreaterThan(0);
        if (atLeast(finding.severity, "high"))
          expect(finding.message, "a high finding says how to make it safe").toMatch(SAFE_ADVICE);
        if (READABLE_FAMILIES.has(rule.family))
          expect(unchangedShown(finding), "a change shown as `x` → `x` reads as none").toEqual([]);
        if (finding.fix && (finding.fix.path ?? path) === path)
          expectFixPasses(rule.id, path, c, finding);
      });
    });

    it("has a case that fires and a near case, judged by the rule, that must not", () => {
      expect(options.cases.some((c) => c.expect.length > 0)).toBe(true);
      // Cases the rule never judges (nothing changed, another dialect, an unread file) may stay as
      // regressions, but they do not show the rule can hold back: one near case must be judged.
      const nearCases = options.cases
        .filter((c) => c.expect.length === 0)
        .map((c) => `${c.name}: ${whyVacuous(rule, pathOf(c), c) ?? "judged"}`);
      expect(nearCases.length, "a near case").toBeGreaterThan(0);
      if (!options.firesOnEveryChange)
        expect(
          nearCases.some((line) => line.endsWith(": judged")),
          nearCases.join("\n"),
        ).toBe(true);
    });

    it("is registered in the catalog under its family", () => {
      expect(RULES).toContain(rule);
      expect(rule.id.startsWith(`${rule.family}.`)).toBe(true);
    });
  });
}
