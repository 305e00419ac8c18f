import type { ParsedSide } from "../formats/index.js";
import type { Problem } from "../formats/types.js";
import type { Detection } from "../rules/types.js";

/** One finding the engine raises about a side's parse problems, before the policy re-rates it. */
export interface ParseReport {
  readonly rule: "parse.failed" | "parse.duplicate-key";
  readonly detection: Detection;
}

/** One side of the file: how it parsed and its text (for the lines its problems point at). */
export interface ParsedText {
  readonly side: ParsedSide | null;
  readonly text: string | null;
}

/**
 * The parse findings of a file (docs/risk.md, "How a pull request's risk is decided"), one a side
 * at its first problem's line with the others counted: a head that does not parse is high, a base
 * that does not parse is medium (the change is judged against an empty file). When the head has
 * only syntax errors the base already had, the change did not break the file: one medium finding for
 * both sides, not low, since nothing the change does in it can be judged and a reviewer must read it
 * (the file is still unread). A file valid for its tool that Changegate cannot read
 * (nesting or alias limits, repeated Terraform JSON properties) stays high: its change is unjudged.
 * Duplicate keys are one medium finding each.
 */
export function parseReports(path: string, before: ParsedText, after: ParsedText): ParseReport[] {
  const reports = [...duplicateKeys(path, before.side), ...duplicateKeys(path, after.side)];
  const beforeFailures = failures(before.side);
  const afterFailures = failures(after.side);
  const already =
    beforeFailures.length > 0 &&
    afterFailures.length > 0 &&
    afterFailures.every(
      (problem) =>
        problem.code === "parse.failed" &&
        beforeFailures.some((earlier) => sameProblem(earlier, before.text, problem, after.text)),
    );
  if (already) reports.push(failed(path, after.side!, afterFailures, "already"));
  else {
    if (beforeFailures.length > 0) reports.push(failed(path, before.side!, beforeFailures, "base"));
    if (afterFailures.length > 0) reports.push(failed(path, after.side!, afterFailures, "new"));
  }
  return reports;
}

function failures(side: ParsedSide | null): Problem[] {
  if (!side || side.ok) return [];
  return side.problems.filter((problem) => problem.code !== "parse.duplicate-key");
}

function duplicateKeys(path: string, side: ParsedSide | null): ParseReport[] {
  if (!side) return [];
  const problems = side.ok ? side.warnings : side.problems;
  return problems
    .filter((problem) => problem.code === "parse.duplicate-key")
    .map((problem) => ({
      rule: "parse.duplicate-key",
      detection: {
        severity: "medium",
        line: problem.line,
        message: `${path} line ${problem.line}: ${problem.message}.`,
        checklist: [],
      },
    }));
}

/** The same failure on both sides, its line maybe shifted: same code, message and line text. */
function sameProblem(
  before: Problem,
  beforeText: string | null,
  after: Problem,
  afterText: string | null,
): boolean {
  return (
    before.code === after.code &&
    before.message === after.message &&
    lineText(beforeText, before.line) === lineText(afterText, after.line)
  );
}

function lineText(text: string | null, line: number): string {
  if (text === null) return "";
  let start = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf("\n", start);
    if (next < 0) return "";
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return text.slice(start, end < 0 ? text.length : end).trim();
}

function failed(
  path: string,
  side: ParsedSide,
  problems: readonly Problem[],
  which: "new" | "already" | "base",
): ParseReport {
  const first = problems[0]!;
  const more =
    problems.length > 1
      ? `, and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""}`
      : "";
  const what = `does not parse as ${side.format} (line ${first.line}: ${first.message}${more})`;
  const detection: Detection =
    which === "already"
      ? {
          severity: "medium",
          line: first.line,
          message: `The new version of ${path} ${what}; it was already unparsable before this change, which did not break it, but nothing in it can be judged.`,
          checklist: [
            `Review the change to ${path} by hand: the file did not parse before it either.`,
          ],
        }
      : {
          severity: which === "new" ? "high" : "medium",
          line: first.line,
          message: `The ${which} version of ${path} ${what}; it cannot be judged.${which === "new" ? ` Safe: fix line ${first.line} of ${path} so that it parses as ${side.format}.` : ""}`,
          checklist: [`Fix ${path} so that it parses, or review the whole file by hand.`],
        };
  return { rule: "parse.failed", detection };
}
