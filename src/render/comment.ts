import { shortSha } from "../gates/outcome.js";
import { CONTEXT_TRUNCATED_NOTE, type Evaluation, type Verdict } from "../gates/verdict.js";
import { severityRank } from "../rules/severity.js";
import { changeLine, findingsByFile } from "./analysis-markdown.js";
import { BODY_LIMIT, clip } from "./check-run.js";
import { encodeState, STICKY_MARKER, type CommentState, type StateSeal } from "./comment-state.js";
import { code, escapeText, person } from "./escape.js";
import {
  withRecordBlock,
  type CheckAtMerge,
  type MergeRecord as MergeEvidence,
} from "./merge-record.js";
import { checklistMarker } from "./ticks.js";
import { gateLines, howToPass, riskHeading } from "./verdict-markdown.js";

/** Facts about the merge, for the audit footer. */
export interface MergeRecord {
  readonly mergeCommitSha: string;
  readonly mergedBy: string | null;
}

export interface CommentInput {
  readonly evaluation: Evaluation;
  readonly state: CommentState;
  readonly merge?: MergeRecord | null;
  /**
   * The merge record (render/merge-record.ts): the footer says its check at merge and bypass, and
   * its block follows the footer, kept whole when the body is clipped.
   */
  readonly record?: MergeEvidence | null;
  /** Signs the state block (the App's key, this PR); without it the block is unsigned and counts for less. */
  readonly seal?: StateSeal;
  /** Other open pull requests whose head is this one: they share its check (run-gate.ts). */
  readonly sharedHead?: readonly {
    readonly number: number;
    readonly baseRef: string;
    readonly conclusion: "success" | "failure";
  }[];
}

const short = (sha: string | null): string => (sha === null ? "an unknown commit" : shortSha(sha));

/** The sticky comment: risk, findings, gates, the checklist, how to pass; edited in place. */
export function commentBody({
  evaluation,
  state,
  merge,
  record,
  sharedHead,
  seal,
}: CommentInput): string {
  const { verdict, analysis } = evaluation;
  const lines: string[] = [STICKY_MARKER, `## Changegate`, ""];
  if (
    analysis.files.every((file) => file.changes.length === 0 && file.findings.length === 0) &&
    !verdict.error
  ) {
    lines.push(
      "The infrastructure changes are gone from this pull request: nothing to gate.",
      "",
      encodeState(state, seal),
    );
    return lines.join("\n") + "\n";
  }
  lines.push(riskHeading(verdict), "");
  lines.push(...warnings(verdict), ...stateNote(state), ...sharedHeadNote(sharedHead ?? []));
  if (verdict.error) lines.push(`> ❌ ${escapeText(verdict.error.message)}`, "");
  if (evaluation.contextTruncated) lines.push(`> ⚠️ ${CONTEXT_TRUNCATED_NOTE}`, "");

  if (analysis.findings.length > 0) {
    lines.push("### Findings", "", ...findingsByFile(analysis));
  }
  lines.push("### Gates", "", ...gateLines(verdict), "");
  lines.push(...checklistSection(verdict, state));
  const advice = howToPass(verdict);
  if (advice.length > 0) lines.push(...advice, "");
  lines.push(...approvalsDetails(verdict), ...changesDetails(evaluation));
  if (merge) lines.push(...auditFooter(verdict, merge, record ?? null));
  // Clipped to GitHub's limit (a longer body is refused with 422), the record's block and the
  // state block kept whole.
  const block = encodeState(state, seal);
  const text = lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/\n+$/, "");
  const limit = BODY_LIMIT - block.length - 3;
  const body = record ? withRecordBlock(text, record, limit, clip) : clip(text, limit);
  return `${body}\n\n${block}\n`;
}

function sharedHeadNote(others: NonNullable<CommentInput["sharedHead"]>): string[] {
  if (others.length === 0) return [];
  const listed = others
    .map(
      (other) =>
        `#${other.number} into ${code(other.baseRef)} (${other.conclusion === "success" ? "✅" : "❌"})`,
    )
    .join(", ");
  return [
    `> 🔗 This commit is also the head of ${listed}. They share the \`Changegate\` check, which passes only when each of them passes whose base branch requires it.`,
    "",
  ];
}

/** Said once, in the render after a hand-edited (or older, unsigned) state block was read. */
function stateNote(state: CommentState): string[] {
  if (!state.unverified) return [];
  return [
    "> ⚠️ This comment's hidden state was not written by Changegate (edited by hand, or by an older version): checklist ticks and the emergency override's binding recorded in it were dropped.",
    "",
  ];
}

function warnings(verdict: Verdict): string[] {
  const out: string[] = [];
  if (verdict.draft)
    out.push(
      "> 📝 Draft pull request: evaluated as it stands; the gates apply when it is ready.",
      "",
    );
  if (verdict.checkRequired === false) {
    out.push(
      "> ⚠️ The base branch does not require the `Changegate` check, so this verdict does **not** block merging. " +
        "Require it in branch protection or a ruleset (Settings → Branches / Rules → Require status checks → `Changegate`).",
      "",
    );
  }
  if (verdict.policyChanged) {
    out.push(
      "> ℹ️ This pull request edits Changegate's policy file; it is evaluated under the base branch's policy, never its own.",
      "",
    );
  }
  if (verdict.emergency?.accepted) {
    out.push(
      `> 🚨 Emergency override by ${person(verdict.emergency.by)} (${verdict.emergency.permission}): gates bypassed; a post-change review issue opens on merge.`,
      "",
    );
  }
  return out;
}

function checklistSection(verdict: Verdict, state: CommentState): string[] {
  if (verdict.checklist.length === 0) return [];
  const required = verdict.requirement?.checklist ?? false;
  const lines = [
    "### Checklist",
    ...(verdict.changeSet ? [checklistMarker(verdict.changeSet)] : []),
    "",
    required
      ? "Reviewers with write access: tick each item once you have verified it. Required for this risk level."
      : "What a reviewer should verify (not required at this risk level).",
    "",
  ];
  for (const item of verdict.checklist) {
    const by =
      item.checked && item.checkedBy
        ? ` — ticked by ${person(item.checkedBy)}${item.headSha ? ` at ${short(item.headSha)}` : ""}`
        : "";
    lines.push(`- [${item.checked ? "x" : " "}] ${escapeText(item.item)}${by}`);
  }
  for (const rejected of state.rejectedTicks ?? []) {
    lines.push(
      "",
      `> A tick by ${person(rejected.by)} (${rejected.permission}) on “${escapeText(rejected.item)}” was reverted: ticks need write access.`,
    );
  }
  return [...lines, ""];
}

function approvalsDetails(verdict: Verdict): string[] {
  if (verdict.approvals.length === 0) return [];
  const rows = verdict.approvals.map(
    (approval) =>
      // A COMMIT row names a git identity tied to no account (gates/approvals.ts), not a login.
      `| ${approval.state === "COMMIT" ? escapeText(approval.user) : person(approval.user)} | ${escapeText(approval.state)} at ${short(approval.commitSha)} | ${approval.counted ? "✅" : "❌"} ${escapeText(approval.reason)} |`,
  );
  return [
    "<details><summary>Reviews and why they count</summary>",
    "",
    "| reviewer | review | counted |",
    "|---|---|---|",
    ...rows,
    "",
    "</details>",
    "",
  ];
}

function changesDetails(evaluation: Evaluation): string[] {
  const files = evaluation.analysis.files.filter((file) => file.changes.length > 0);
  if (files.length === 0) return [];
  const lines = ["<details><summary>Semantic changes</summary>", ""];
  for (const file of files) {
    lines.push(`**${code(file.path)}** (${file.format}, ${file.status})`, "");
    const shown = file.changes.slice(0, 50);
    lines.push(...shown.map((change) => `- ${changeLine(change)}`));
    if (file.changes.length > shown.length)
      lines.push(`- … and ${file.changes.length - shown.length} more`);
    lines.push("");
  }
  return [...lines, "</details>", ""];
}

function auditFooter(verdict: Verdict, merge: MergeRecord, record: MergeEvidence | null): string[] {
  const approvers = verdict.approvals
    .filter((approval) => approval.counted)
    .map((approval) => `${person(approval.user)} (${short(approval.commitSha)})`);
  return [
    "### Merged",
    "",
    `- Merge commit: ${code(merge.mergeCommitSha)}${merge.mergedBy ? ` by ${person(merge.mergedBy)}` : ""}`,
    `- Risk: ${verdict.risk}; verdict at merge: ${verdict.conclusion}`,
    `- Approvals: ${approvers.length > 0 ? approvers.join(", ") : "none counted"}`,
    `- Test plan: ${verdict.testPlanLinks.length > 0 ? verdict.testPlanLinks.map((link) => code(link)).join(", ") : "none"}`,
    `- Overrides: ${verdict.emergency?.accepted ? `emergency override by ${person(verdict.emergency.by)}` : "none"}`,
    ...(record ? recordLines(record) : []),
    "",
  ];
}

/** The footer's lines for what only the merge record knows: the check at merge, the bypass, the issue. */
function recordLines(record: MergeEvidence): string[] {
  const issue =
    record.followUpIssue === null ? "" : `; post-change review #${record.followUpIssue}`;
  return [
    `- Check at merge: ${CHECK_AT_MERGE_WORDS[record.checkAtMerge]}`,
    record.bypass
      ? `- Bypass: ⚠️ merged${record.bypass.mergedBy ? ` by ${person(record.bypass.mergedBy)}` : ""} while the \`Changegate\` check was ${CHECK_AT_MERGE_WORDS[record.bypass.checkAtMerge]}, without an emergency override${issue}`
      : `- Bypass: none${issue}`,
  ];
}

/** How the head's `Changegate` check stood when the pull request merged, in words. */
const CHECK_AT_MERGE_WORDS: Record<CheckAtMerge, string> = {
  success: "passing",
  failure: "failing",
  pending: "pending (still running)",
  missing: "missing (a check that never ran)",
};

/** The bypass issue lists at most this many findings, the most severe first (the check run has all). */
const TOP_FINDINGS = 10;

/**
 * The follow-up issue opened when a PR that changed infrastructure merged while its check was not
 * green and no emergency override was accepted (docs/security.md, "Bypass follow-up"): who merged,
 * how the check stood, the verdict, each unmet gate and the most severe findings.
 */
export function bypassIssue(
  number: number,
  evaluation: Evaluation,
  merge: MergeRecord,
  checkAtMerge: CheckAtMerge,
): { title: string; body: string } {
  const { verdict, analysis } = evaluation;
  const unmet = verdict.gates.filter((gate) => gate.status === "fail");
  const ranked = [...analysis.findings].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity),
  );
  const top = new Set(ranked.slice(0, TOP_FINDINGS));
  const shown = {
    ...analysis,
    files: analysis.files.map((file) => ({
      ...file,
      findings: file.findings.filter((finding) => top.has(finding)),
    })),
  };
  const more = ranked.length - top.size;
  const lines = [
    `Pull request #${number} was merged${merge.mergedBy ? ` by ${person(merge.mergedBy)}` : " (by someone GitHub did not name)"} at ${code(merge.mergeCommitSha)} while the \`Changegate\` check was **${CHECK_AT_MERGE_WORDS[checkAtMerge]}**, without an emergency override.`,
    "",
    `Risk: **${verdict.risk}**. Verdict at merge: **${verdict.conclusion}** (${escapeText(verdict.title)}).`,
    "",
    "Review the change after the fact: confirm it behaves as intended, and either get the reviews it skipped or roll it back.",
    "",
    ...(verdict.error ? [`> ❌ ${escapeText(verdict.error.message)}`, ""] : []),
    "### Unmet gates",
    "",
    ...(unmet.length > 0
      ? gateLines({ ...verdict, gates: unmet })
      : [
          "None: the gates were met, but the check had not reported it when the pull request merged.",
        ]),
    "",
    "### Top findings",
    "",
    ...(top.size > 0 ? findingsByFile(shown) : ["No findings.", ""]),
    ...(more > 0 ? [`… and ${more} more in the \`Changegate\` check run.`, ""] : []),
  ];
  return {
    title: `Post-change review for #${number}`,
    body: clip(`${followUpMarker(number)}\n${lines.join("\n")}\n`, BODY_LIMIT),
  };
}

/** Hidden first line of the follow-up issue of pull request `number`: found again, never opened twice. */
export const followUpMarker = (number: number): string =>
  `<!-- changegate:follow-up #${number} -->`;

/** The follow-up issue opened when a PR merged under an emergency override. */
export function followUpIssue(
  number: number,
  evaluation: Evaluation,
  merge: MergeRecord,
): { title: string; body: string } {
  const { verdict, analysis } = evaluation;
  const lines = [
    `Pull request #${number} was merged under an emergency override by ${person(verdict.emergency?.by ?? "unknown")} at ${code(merge.mergeCommitSha)}.`,
    "",
    `Risk: **${verdict.risk}**. Review the change after the fact: confirm it behaves as intended, and either keep it (with the approvals it skipped) or roll it back.`,
    "",
    "### Findings",
    "",
    ...(analysis.findings.length > 0 ? findingsByFile(analysis) : ["No findings.", ""]),
    "### Gates bypassed",
    "",
    ...gateLines(verdict),
  ];
  return {
    title: `Post-change review for #${number}`,
    body: clip(`${followUpMarker(number)}\n${lines.join("\n")}\n`, BODY_LIMIT),
  };
}
