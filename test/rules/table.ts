import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { RULES } from "../../src/rules/catalog.js";
import type { Severity } from "../../src/rules/severity.js";
import type { Family, Finding, Params, Rule } from "../../src/rules/types.js";

/** Findings of one rule for one changed file. */
export function findingsOf(
  rule: string,
  path: string,
  before: string | null,
  after: string | null,
): Finding[] {
  return analyze([{ path, before, after }]).findings.filter((finding) => finding.rule === rule);
}

/** 1-based line of the n-th line of `text` containing `marker`. */
export function lineOf(text: string, marker: string, occurrence = 1): number {
  let seen = 0;
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    if (lines[index]!.includes(marker) && ++seen === occurrence) return index + 1;
  }
  throw new Error(`marker not found: ${marker}`);
}

interface FamilyChecks {
  readonly family: Family;
  readonly rules: readonly Rule<Params>[];
  /** The family's size at least, so an emptied index fails. */
  readonly minRules: number;
  /** For each case of a rule's table: whether it expects a finding. */
  readonly firings: (rule: string) => readonly boolean[];
}

/** The two checks every family's test ends with: each rule is covered both ways, and registered. */
function itChecksFamily({ family, rules, minRules, firings }: FamilyChecks): void {
  const ids = rules.map((rule) => rule.id);

  it("has a case that fires and one that must not for every rule of the family", () => {
    for (const id of ids) {
      expect(firings(id).includes(true), id).toBe(true);
      expect(firings(id).includes(false), id).toBe(true);
    }
  });

  it(`registers every rule under the ${family} prefix in the catalog`, () => {
    expect(rules.length).toBeGreaterThanOrEqual(minRules);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of rules) {
      expect(rule.id.startsWith(`${family}.`)).toBe(true);
      expect(rule.family).toBe(family);
      expect(RULES).toContain(rule);
    }
  });
}

/** A case of a family table: every finding of the rule, in order; [] = must not fire. */
export interface ExpectedCase {
  readonly name: string;
  readonly before: string | null;
  readonly after: string;
  /** The file's path, when not the family's usual one. */
  readonly path?: string;
  /** Expected findings of the rule: severity, line and a phrase of the message; [] = must not fire. */
  readonly expected: readonly { severity: Severity; line: number; phrase: string }[];
}

/** `<family> rules`: one table per rule of `cases`, then the family checks. */
export function describeFamily(options: {
  readonly family: Family;
  readonly rules: readonly Rule<Params>[];
  readonly minRules: number;
  /** The path the cases are analysed under, unless a case names its own. */
  readonly path: string;
  readonly cases: Readonly<Record<string, readonly ExpectedCase[]>>;
}): void {
  const { family, rules, minRules, path, cases } = options;
  describe(`${family} rules`, () => {
    for (const [rule, table] of Object.entries(cases)) {
      describe(rule, () => {
        it.each(table)("$name", (c) => {
          const findings = findingsOf(rule, c.path ?? path, c.before, c.after);
          expect(findings.map(({ severity, line }) => ({ severity, line }))).toEqual(
            c.expected.map(({ severity, line }) => ({ severity, line })),
          );
          findings.forEach((finding, index) =>
            expect(finding.message).toContain(c.expected[index]!.phrase),
          );
        });
      });
    }

    itChecksFamily({
      family,
      rules,
      minRules,
      firings: (rule) => (cases[rule] ?? []).map((c) => c.expected.length > 0),
    });
  });
}

/** A case of a marker table: the one finding it expects, located by a marker, or none. */
export interface MarkerCase {
  readonly name: string;
  readonly before: string | null;
  readonly after: string | null;
  /** The file's path, when not the family's usual one. */
  readonly path?: string;
  /** The expected finding, or null for a near change that must not fire. */
  readonly expect: {
    readonly severity: Severity;
    /** Text on the reported line, looked up in `after` (in `before` with side "before"). */
    readonly marker: string;
    /** Which occurrence of the marker, from 1. */
    readonly nth?: number;
    readonly side?: "before";
    /** A phrase of the message, or a pattern it matches. */
    readonly phrase: string | RegExp;
  } | null;
}

/**
 * A family whose tables are written one rule at a time: `table(rule, cases)` describes a rule,
 * `describeChecks()` (after the tables) adds the family checks under `<family> family`.
 */
export function markerFamily(options: {
  readonly family: Family;
  readonly rules: readonly Rule<Params>[];
  readonly minRules: number;
  /** The path a case is analysed under, unless it names its own; none = every case names one. */
  readonly path?: string | ((c: MarkerCase) => string);
}) {
  const { family, rules, minRules, path } = options;
  const tables = new Map<string, readonly MarkerCase[]>();
  const pathOf = (c: MarkerCase): string => {
    const resolved = c.path ?? (typeof path === "function" ? path(c) : path);
    if (resolved === undefined) throw new Error(`${c.name}: the case names no path`);
    return resolved;
  };

  /** Runs a rule's table: each case fires once as described, or not at all. */
  function table(rule: string, cases: readonly MarkerCase[]): void {
    tables.set(rule, [...(tables.get(rule) ?? []), ...cases]);
    describe(rule, () => {
      it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
        const found = findingsOf(rule, pathOf(c), c.before, c.after);
        if (!c.expect) {
          expect(found).toEqual([]);
          return;
        }
        const text = c.expect.side === "before" ? c.before : c.after;
        if (text === null) throw new Error(`${c.name}: the marked side is absent`);
        expect(found).toHaveLength(1);
        expect(found[0]).toMatchObject({
          rule,
          severity: c.expect.severity,
          line: lineOf(text, c.expect.marker, c.expect.nth),
        });
        expect(found[0]!.message).toMatch(c.expect.phrase);
        expect(found[0]!.checklist.length).toBeGreaterThan(0);
      });
    });
  }

  function describeChecks(): void {
    describe(`${family} family`, () => {
      itChecksFamily({
        family,
        rules,
        minRules,
        firings: (rule) => (tables.get(rule) ?? []).map((c) => c.expect !== null),
      });
    });
  }

  return { table, describeChecks };
}
