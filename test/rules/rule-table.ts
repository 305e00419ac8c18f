// The one shape of a rule test: `test/rules/<family>/<rule>.test.ts` calls `ruleTable(rule, …)`
// with cases that fire and near cases that must not. Builders shared by a family's tests live in
// `test/rules/<family>/builders.ts`.
import { describe, expect, it } from "vitest";
import { analyze, type FileInput } from "../../src/engine/analyze.js";
import { DEFAULT_SETTINGS, type RuleSetting } from "../../src/engine/settings.js";
import { RULES } from "../../src/rules/catalog.js";
import type { Severity } from "../../src/rules/severity.js";
import type { AnyRule, Finding } from "../../src/rules/types.js";

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
  /** The policy's setting for the rule (params, severity), when not the defaults. */
  readonly setting?: RuleSetting;
  /** Every finding of the rule in this file, in order; `[]` is a near change that must not fire. */
  readonly expect: readonly ExpectedFinding[];
}

export interface RuleTableOptions {
  /** The path cases are analysed under, unless a case names its own. */
  readonly path?: string | ((c: RuleCase) => string);
  readonly cases: readonly RuleCase[];
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

/** Every finding of `ruleId` in the file `path` after analysing the change. */
export function findingsOf(
  ruleId: string,
  path: string,
  before: string | null,
  after: string | null,
  options: { alongside?: readonly FileInput[]; setting?: RuleSetting } = {},
): Finding[] {
  const settings = options.setting
    ? { ...DEFAULT_SETTINGS, rules: { [ruleId]: options.setting } }
    : DEFAULT_SETTINGS;
  const inputs = [{ path, before, after }, ...(options.alongside ?? [])];
  return analyze(inputs, settings).findings.filter(
    (finding) => finding.rule === ruleId && finding.file === path,
  );
}

function expectedLine(c: RuleCase, expected: ExpectedFinding): number {
  if (typeof expected.line === "number") return expected.line;
  const text = expected.side === "before" ? c.before : c.after;
  if (text === null) throw new Error(`${c.name}: the side that holds the line is absent`);
  return lineOf(text, expected.line, expected.nth);
}

/**
 * Describes one rule: each case reports exactly the findings it lists (severity, line, phrase,
 * with a checklist), the table holds a case that fires and one that must not, and the rule is
 * registered in the catalog under its family.
 */
export function ruleTable(rule: AnyRule, options: RuleTableOptions): void {
  const pathOf = (c: RuleCase): string => {
    const path = c.path ?? (typeof options.path === "function" ? options.path(c) : options.path);
    if (path === undefined) throw new Error(`${c.name}: the case names no path`);
    return path;
  };

  describe(rule.id, () => {
    it.each(options.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      const found = findingsOf(rule.id, pathOf(c), c.before, c.after, c);
      expect(found.map(({ severity, line }) => ({ severity, line }))).toEqual(
        c.expect.map((expected) => ({
          severity: expected.severity,
          line: expectedLine(c, expected),
        })),
      );
      found.forEach((finding, index) => {
        expect(finding.message).toMatch(c.expect[index]!.phrase);
        expect(finding.checklist.length, "a finding says what to check").toBeGreaterThan(0);
      });
    });

    it("has a case that fires and a near case that must not", () => {
      expect(options.cases.some((c) => c.expect.length > 0)).toBe(true);
      expect(options.cases.some((c) => c.expect.length === 0)).toBe(true);
    });

    it("is registered in the catalog under its family", () => {
      expect(RULES).toContain(rule);
      expect(rule.id.startsWith(`${rule.family}.`)).toBe(true);
    });
  });
}
