/**
 * Suggested fixes as GitHub suggestions (docs/output.md, "Suggested fixes"): which findings' `fix`
 * can be offered on a pull request, and the review and comment bodies that offer them. Pure; the
 * publishing is src/github/suggestions.ts.
 */
import { addedLines, type Hunk } from "../diff/hunks.js";
import type { Finding } from "../rules/types.js";
import { severityRank } from "../rules/severity.js";
import { severityBadge } from "./analysis-markdown.js";
import { code, escapeText } from "./escape.js";

/** One suggestion: a review comment on `line` (head side) of `path`. */
export interface Suggestion {
  /** Which finding and line it is for: the same on every evaluation of a head (the comment's marker). */
  readonly key: string;
  readonly path: string;
  readonly line: number;
  readonly body: string;
}

/**
 * A changed file as a suggestion needs it: its text at the head (null: removed) and the text
 * hunks the engine already computed (engine/analyze.ts), whose added lines may carry one.
 */
export interface ChangedText {
  readonly path: string;
  readonly after: string | null;
  readonly hunks: readonly Hunk[];
}

const COMMENT_MARKER = /^<!-- changegate:suggestion head=([0-9a-f]{7,64}) key=([^\s>]+) -->/;

/**
 * The findings whose `fix` is a one-line edit of a line the change added or modified, as
 * suggestions, the most severe first (the analysis order on a tie). `head` goes in each marker.
 */
export function suggestionsOf(
  findings: readonly Finding[],
  files: readonly ChangedText[],
  head: string,
): Suggestion[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const changed = new Map<string, ReadonlySet<number>>();
  const linesOf = (file: ChangedText): ReadonlySet<number> => {
    let lines = changed.get(file.path);
    if (!lines) changed.set(file.path, (lines = addedLines(file.hunks)));
    return lines;
  };
  const offered = findings.flatMap((finding, order) => {
    const fix = finding.fix;
    if (!fix || /[\r\n]/.test(fix.replacement)) return [];
    const path = fix.path ?? finding.file;
    const file = byPath.get(path);
    if (!file || file.after === null) return [];
    const current = file.after.split("\n")[fix.line - 1]?.replace(/\r$/, "");
    if (current === undefined || current === fix.replacement) return [];
    if (!linesOf(file).has(fix.line)) return [];
    const key = `${encodeURIComponent(finding.rule)}@${fix.line}`;
    return [{ order, finding, suggestion: { key, path, line: fix.line, body: "" } }];
  });
  return offered
    .sort(
      (a, b) =>
        severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.order - b.order,
    )
    .map(({ finding, suggestion }) => ({
      ...suggestion,
      body: commentBody(finding, suggestion, head),
    }));
}

/** The review's hidden marker names the head it is for: one review per head. */
export function reviewBody(head: string, count: number): string {
  return [
    `<!-- changegate:suggestions head=${head} -->`,
    `**Changegate** suggests ${count === 1 ? "a one-line fix" : `${count} one-line fixes`} for ${code(head.slice(0, 7))}: each makes its finding pass, not the rest of the change. "Commit suggestion" applies one; "Add suggestion to batch" applies several in one commit, and Changegate evaluates the new head.`,
  ].join("\n\n");
}

/** The head and suggestion key a suggestion comment carries, or undefined for another comment. */
export function commentMarker(
  body: string | null | undefined,
): { readonly head: string; readonly key: string } | undefined {
  const match = COMMENT_MARKER.exec(body ?? "");
  return match ? { head: match[1]!, key: match[2]! } : undefined;
}

/**
 * The finding as the other reports show it (severity, rule, escaped message), then the replacement
 * line in a `suggestion` block, verbatim (it is what GitHub commits), behind a fence longer than
 * any backtick run on the line
 * (https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/reviewing-changes-in-pull-requests/incorporating-feedback-in-your-pull-request).
 */
function commentBody(finding: Finding, suggestion: Omit<Suggestion, "body">, head: string): string {
  const longest = Math.max(
    2,
    ...[...finding.fix!.replacement.matchAll(/`+/g)].map((m) => m[0].length),
  );
  const fence = "`".repeat(longest + 1);
  return [
    `<!-- changegate:suggestion head=${head} key=${suggestion.key} -->`,
    `**${severityBadge(finding.severity)}** ${code(finding.rule)}: ${escapeText(finding.message)}`,
    "",
    `${fence}suggestion`,
    finding.fix!.replacement,
    fence,
  ].join("\n");
}
