import type { Analysis, FileAnalysis } from "../engine/analyze.js";
import type { Change } from "../diff/semantic-diff.js";
import type { Finding } from "../rules/types.js";
import type { Severity } from "../rules/severity.js";
import { plural } from "../rules/message.js";
import { code, escapeText, fenced, showValue } from "./escape.js";

const BADGE: Record<Severity, string> = {
  none: "⚪ none",
  low: "🟢 low",
  medium: "🟡 medium",
  high: "🟠 high",
  critical: "🔴 critical",
};

export function severityBadge(severity: Severity): string {
  return BADGE[severity];
}

/** What a reviewer reads: the risk, each finding with before → after, the semantic changes, the hunks. */
export function analysisMarkdown(analysis: Analysis, options: { hunks?: boolean } = {}): string {
  const lines: string[] = [`## Changegate: ${BADGE[analysis.risk]} risk`, ""];
  const changed = analysis.files.filter(
    (file) => file.changes.length > 0 || file.findings.length > 0,
  );
  if (changed.length === 0) {
    lines.push("No semantic change to infrastructure configuration.");
    return lines.join("\n") + "\n";
  }
  lines.push(
    `${plural(analysis.findings.length, "finding")} in ${plural(changed.length, "file")}.`,
    "",
  );
  for (const file of changed) lines.push(...fileSection(file, options.hunks ?? true));
  return lines.join("\n").replace(/\n{3,}/g, "\n\n") + "\n";
}

/**
 * The findings grouped by file, for the check run, the sticky comment and the follow-up issue:
 * each file a paragraph of its own, then its findings as a list, with blank lines between, so no
 * file name is read as a lazy continuation of the previous finding's list item
 * (https://spec.commonmark.org/0.31.2/#lazy-continuation-line).
 */
export function findingsByFile(analysis: Analysis): string[] {
  return analysis.files
    .filter((file) => file.findings.length > 0)
    .flatMap((file) => [`**${code(file.path)}**`, "", ...file.findings.flatMap(findingLines), ""]);
}

function fileSection(file: FileAnalysis, withHunks: boolean): string[] {
  const lines = [
    `### ${code(file.path)} (${file.format}${file.template ? ", template" : ""}, ${file.status})`,
    "",
  ];
  for (const finding of file.findings) lines.push(...findingLines(finding));
  lines.push("");
  if (file.changes.length > 0) {
    lines.push(
      "",
      `<details><summary>${plural(file.changes.length, "semantic change")}</summary>`,
      "",
    );
    for (const change of file.changes) lines.push(`- ${changeLine(change)}`);
    lines.push("", "</details>", "");
  }
  if (withHunks && file.hunks.length > 0) {
    const body = file.hunks
      .map((hunk) =>
        [
          `@@ -${hunk.beforeStart},${hunk.beforeLines} +${hunk.afterStart},${hunk.afterLines} @@`,
          ...hunk.lines,
        ].join("\n"),
      )
      .join("\n");
    lines.push(
      "<details><summary>Text diff</summary>",
      "",
      fenced(body, "diff"),
      "",
      "</details>",
      "",
    );
  }
  return lines;
}

export function findingLines(finding: Finding): string[] {
  const beforeAfter =
    finding.before !== undefined || finding.after !== undefined
      ? ` (${code(showValue(finding.before))} → ${code(showValue(finding.after))})`
      : "";
  const also = (finding.alsoRules ?? []).map(code).join(", ");
  const lines = [
    `- **${BADGE[finding.severity]}** ${code(finding.rule)}${also ? ` (also ${also})` : ""}, line ${finding.line}: ${escapeText(finding.message)}${beforeAfter}`,
  ];
  // A merged finding: the other rules' reasons once each, without their own safe advice (the
  // message already ends with the primary's, and the advice is shown once).
  for (const reason of finding.reasons?.slice(1) ?? [])
    lines.push(
      `  - ${code(reason.rule)}: ${escapeText(reason.message.replace(/ Safe: .*$/s, ""))}`,
    );
  for (const item of finding.checklist) lines.push(`  - ${escapeText(item)}`);
  return lines;
}

export function changeLine(change: Change): string {
  const where = change.afterLine ?? change.beforeLine;
  const at = where !== undefined ? ` (line ${where})` : "";
  switch (change.kind) {
    case "added":
      return `added ${code(change.path)} = ${code(showValue(change.after))}${at}`;
    case "removed":
      return `removed ${code(change.path)} (was ${code(showValue(change.before))})${at}`;
    case "modified":
      return `${code(change.path)}: ${code(showValue(change.before))} → ${code(showValue(change.after))}${at}`;
  }
}
