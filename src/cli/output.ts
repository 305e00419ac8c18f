import type { Analysis } from "../engine/analyze.js";
import type { Evaluation } from "../gates/verdict.js";
import { analysisJson } from "../render/analysis-json.js";
import { analysisMarkdown } from "../render/analysis-markdown.js";
import { analysisSarif } from "../render/sarif.js";
import { atLeast, isSeverity, type Severity } from "../rules/severity.js";
import { UsageError } from "./io.js";
import { VERSION } from "./version.js";

export type OutputFormat = "json" | "markdown" | "sarif";

export function outputFormat(value: string, allowed: readonly OutputFormat[]): OutputFormat {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--format must be one of ${allowed.join(", ")} (got "${value}")`);
  }
  return value as OutputFormat;
}

export function failOn(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  if (!isSeverity(value) || value === "none")
    throw new UsageError(`--fail-on must be one of low, medium, high, critical (got "${value}")`);
  return value;
}

export function renderAnalysis(analysis: Analysis, format: OutputFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(analysisJson(analysis), null, 2) + "\n";
    case "markdown":
      return analysisMarkdown(analysis);
    case "sarif":
      return JSON.stringify(analysisSarif(analysis, VERSION), null, 2) + "\n";
  }
}

/** Exit code of an analysis: 1 when the risk reaches `--fail-on`, else 0. */
export function exitCodeFor(analysis: Analysis, threshold: Severity | undefined): number {
  return threshold !== undefined && atLeast(analysis.risk, threshold) ? 1 : 0;
}

/** Exit code of an evaluation: 1 when the verdict fails (the check would block) or as `exitCodeFor`. */
export function exitCodeForVerdict(
  evaluation: Evaluation,
  threshold: Severity | undefined,
): number {
  return evaluation.verdict.conclusion === "failure"
    ? 1
    : exitCodeFor(evaluation.analysis, threshold);
}
