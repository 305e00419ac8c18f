import { CONTEXT_TRUNCATED_NOTE, type Evaluation } from "../gates/verdict.js";
import type { Severity } from "../rules/severity.js";
import { findingsByFile } from "./analysis-markdown.js";
import { code, escapeText } from "./escape.js";
import { withRecordBlock, type MergeRecord } from "./merge-record.js";
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

/**
 * GitHub rejects a check run's `output.summary` or `output.text` longer than 65,535 characters
 * ("Maximum length: 65535 characters", https://docs.github.com/en/rest/checks/runs#create-a-check-run).
 */
const CHECK_OUTPUT_LIMIT = 65_535;
/** Comment and issue bodies: GitHub answers 422 "body is too long (maximum is 65536 characters)". */
export const BODY_LIMIT = 65_536;

/**
 * The check run's output: title, gates in the summary, findings in the text, line annotations.
 * A merged pull request's `record` ends the text, whole: the findings are clipped to make room.
 */
export function checkRunOutput(
  evaluation: Evaluation,
  record?: MergeRecord | null,
): CheckRunOutput {
  const { verdict, analysis } = evaluation;
  const summary = [riskHeading(verdict), "", ...gateLines(verdict), "", ...howToPass(verdict)].join(
    "\n",
  );
  const text = analysis.findings.length
    ? ["### Findings", "", ...findingsByFile(analysis)].join("\n").replace(/\n+$/, "")
    : "No findings.";
  const note = evaluation.contextTruncated ? `\n\n> ⚠️ ${CONTEXT_TRUNCATED_NOTE}` : "";
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
    // The note survives clipping: it says what the findings above may lack.
    text: withRecord(text, record, (prose, limit) => clip(prose, limit - note.length) + note),
    annotations,
  };
}

/** `prose` clipped to the check run's limit, with the merge record's block after it when there is one. */
function withRecord(
  prose: string,
  record: MergeRecord | null | undefined,
  clipProse: (text: string, limit: number) => string = clip,
): string {
  return record
    ? withRecordBlock(prose, record, CHECK_OUTPUT_LIMIT, clipProse)
    : clipProse(prose, CHECK_OUTPUT_LIMIT);
}

/** One open pull request whose head is the commit the check is on, and its verdict. */
export interface HeadSharer {
  readonly number: number;
  readonly baseRef: string;
  readonly evaluation: Evaluation;
}

/**
 * The check of a commit that is the head of several open pull requests: GitHub shows one
 * `Changegate` check per commit to every one of them, so it passes only when each passes whose
 * base requires the check (the strictest verdict); the title names the first that fails. The same
 * pull requests give the same output whichever of them was evaluated (ordered by number).
 */
export function sharedHeadOutput(
  pulls: readonly HeadSharer[],
  record?: MergeRecord | null,
): CheckRunOutput {
  const each = [...pulls]
    .sort((a, b) => a.number - b.number)
    .map((pull) => ({ pull, output: checkRunOutput(pull.evaluation) }));
  // A base that does not require the check is gated by nothing: its failure blocks no one else
  // (unless no base says it requires the check).
  const required = each.filter(({ pull }) => pull.evaluation.verdict.checkRequired !== false);
  const gating = required.length > 0 ? required : each;
  const failing = gating.find(({ output }) => output.conclusion === "failure");
  // The title is a verdict that decides: never a failure that holds nothing on a green check.
  const shown = failing ?? gating[0]!;
  const heading = ({ number, baseRef }: HeadSharer): string => `#${number} into ${code(baseRef)}`;
  const summary = [
    `This commit is the head of ${each.length} open pull requests. They share this check, so it passes only when every one of them passes whose base branch requires it:`,
    "",
    ...each.map(
      ({ pull, output }) =>
        `- ${output.conclusion === "success" ? "✅" : "❌"} ${heading(pull)}${gating.some((one) => one.pull === pull) ? "" : " (its base does not require the check)"}: ${escapeText(output.title)}`,
    ),
    "",
    ...each.flatMap(({ pull, output }) => [`### ${heading(pull)}`, "", output.summary, ""]),
  ].join("\n");
  const text = each
    .map(({ pull, output }) => [`## ${heading(pull)}`, "", output.text].join("\n"))
    .join("\n\n");
  const seen = new Set<string>();
  const annotations = each
    .flatMap(({ output }) => output.annotations)
    .filter((annotation) => {
      const key = JSON.stringify(annotation);
      return !seen.has(key) && Boolean(seen.add(key));
    });
  return {
    conclusion: failing ? "failure" : "success",
    title: `#${shown.pull.number} into ${shown.pull.baseRef}: ${shown.output.title}`.slice(0, 250),
    summary: clip(summary),
    text: withRecord(text, record),
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

/**
 * `title`: what the failure is, when the error says (e.g. the pull request cannot be seen whole);
 * `text`: what the run must keep (a merge evaluation's check at merge, render/merge-record.ts).
 */
export function errorOutput(
  reason: string,
  title = "Changegate could not evaluate this pull request",
  text = "",
): CheckRunOutput {
  return {
    conclusion: "failure",
    title: title.slice(0, 250),
    summary: `Changegate failed while evaluating this pull request, so the check fails closed.\n\n**Reason:** ${reason}\n\nTo retry, comment \`/changegate recheck\` on the pull request or use "Re-run" on this check.`,
    text,
    annotations: [],
  };
}

/**
 * `text` cut at a line end so that it fits `limit` (JavaScript counts UTF-16 code units, never
 * fewer than GitHub's characters), with a note that says so.
 */
export function clip(text: string, limit: number = CHECK_OUTPUT_LIMIT): string {
  if (text.length <= limit) return text;
  const note = `\n\n… (truncated: GitHub accepts at most ${limit.toLocaleString("en-US")} characters here)`;
  let head = text.slice(0, Math.max(0, limit - note.length));
  const lineEnd = head.lastIndexOf("\n");
  if (lineEnd > head.length / 2) head = head.slice(0, lineEnd);
  // A cut inside <details> would swallow what follows it.
  const open = (head.match(/<details>/g) ?? []).length - (head.match(/<\/details>/g) ?? []).length;
  const close = open > 0 ? "\n</details>" : "";
  return `${head.slice(0, limit - note.length - close.length)}${close}${note}`;
}
