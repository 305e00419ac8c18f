import type { Evaluation } from "../gates/verdict.js";
import type { Severity } from "../rules/severity.js";
import { findingLines } from "./analysis-markdown.js";
import { code } from "./escape.js";
import { gateLines, howToPass, riskHeading } from "./verdict-markdown.js";


export interface Annotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: "notice" | "warning" | "failure";
  readonly title: string;
  readonly message: string;
}

export interface CheckRunOutput {
  readonly conclusion: "success" | "failure";
  readonly title: string;
  readonly summary: string;
  readonly text: string;
  readonly annotations: readonly Annotation[];
}

const LEVEL: Record<Severity, Annotation["annotation_level"]> = {
  none: "notice",
  low: "notice",
  medium: "warning",
  high: "failure",
  critical: "failure",
};

// GitHub limits: title 255 characters? The check-runs API documents summary and text at 65535 characters.
const MAX_OUTPUT = 65_000;

/** The check run's output: title, gates in the summary, findings in the text, line annotations. */
export function checkRunOutput(evaluation: Evaluation): CheckRunOutput {
  const { verdict, analysis } = evaluation;
  const summary = [riskHeading(verdict), "", ...gateLines(verdict), "", ...howToPass(verdict)].join(
    "\n",
  );
  const text = analysis.findings.length
    ? [
        "### Findings",
        "",
        ...analysis.findings.flatMap((finding) => [
          `**${code(finding.file)}**`,
          ...findingLines(finding),
        ]),
      ].join("\n")
    : "No findings.";
  const removed = new Set(
    analysis.files.filter((file) => file.status === "removed").map((file) => file.path),
  );
  const annotations = analysis.findings
    .filter((finding) => !removed.has(finding.file))
    .map((finding) => ({
      path: finding.file,
      start_line: Math.max(1, finding.line),
      end_line: Math.max(1, finding.line),
      annotation_level: LEVEL[finding.severity],
      title: `${finding.severity}: ${finding.rule}`,
      message: finding.message,
    }));
  return {
    conclusion: verdict.conclusion,
    title: verdict.title.slice(0, 250),
    summary: clip(summary),
    text: clip(text),
    annotations,
  };
}

/** The output while an evaluation runs, and when it fails (fail closed, never green). */
export function inProgressOutput(): { title: string; summary: string } {
  return {
    title: "Evaluating infrastructure changes…",
    summary: "Changegate is evaluating this pull request.",
  };
}

/** `title`: what the failure is, when the error says (e.g. the pull request cannot be seen whole). */
export function errorOutput(
  reason: string,
  title = "Changegate could not evaluate this pull request",
): CheckRunOutput {
  return {
    conclusion: "failure",
    title: title.slice(0, 250),
    summary: `Changegate failed while evaluating this pull request, so the check fails closed.\n\n**Reason:** ${reason}\n\nTo retry, comment \`/changegate recheck\` on the pull request or use "Re-run" on this check.`,
    text: "",
    annotations: [],
  };
}

function clip(text: string): string {
  return text.length > MAX_OUTPUT ? `${text.slice(0, MAX_OUTPUT)}\n\n… (truncated)` : text;
}
