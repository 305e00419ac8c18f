/**
 * The merge record: what Changegate decided about a pull request when it merged, as a
 * machine-readable block the App writes twice: into the completed `Changegate` check run on the
 * pull request's head (only the App that created a check run can change it,
 * https://docs.github.com/en/rest/checks/runs#update-a-check-run) and into its sticky comment.
 * `changegate audit` reads both and refuses a comment whose copy someone other than the App
 * edited (docs/audit.md). Pure: the record in, text out, and back.
 *
 * The block is an HTML comment, invisible in GitHub's rendering:
 *
 *     <!-- changegate:merge-record v1
 *     {"version":1,"repository":"acme/web",...}
 *     -->
 *
 * The JSON escapes `<`, `>` and `&` (`\u003c` …), so no text from the pull request can close the
 * HTML comment early or forge a second block.
 */
import { z } from "zod";
import type { PullSnapshot } from "../gates/snapshot.js";
import type { Evaluation } from "../gates/verdict.js";

const MERGE_RECORD_VERSION = 1;

const OPEN = "<!-- changegate:merge-record v1";
const CLOSE = "-->";

const risk = z.enum(["none", "low", "medium", "high", "critical"]);
const conclusion = z.enum(["success", "failure"]);

/** How the head's `Changegate` check stood when the merge was seen, before the App wrote again. */
export const CHECK_AT_MERGE = ["success", "failure", "pending", "missing"] as const;
export type CheckAtMerge = (typeof CHECK_AT_MERGE)[number];

const mergeRecordSchema = z
  .object({
    version: z.literal(MERGE_RECORD_VERSION),
    repository: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
    pull: z.number().int().positive(),
    title: z.string(),
    author: z.string(),
    baseRef: z.string(),
    /** The head that merged: approvals are judged against it. */
    headSha: z.string(),
    mergeCommitSha: z.string(),
    mergedBy: z.string().nullable(),
    mergedAt: z.string().nullable(),
    /** When the App evaluated the merged pull request (ISO 8601). */
    evaluatedAt: z.string().nullable(),
    risk,
    /** The verdict on the merged head. */
    verdict: conclusion,
    checkAtMerge: z.enum(CHECK_AT_MERGE),
    /** The infrastructure files the pull request changed. */
    files: z.array(z.string()),
    /** Every gate and how it stood; unmet gates have `status: "fail"`. */
    gates: z.array(z.object({ gate: z.string(), status: z.string(), detail: z.string() })),
    /** Every approval, counted or not, with the commit it approved. */
    approvals: z.array(
      z.object({
        user: z.string(),
        commitSha: z.string().nullable(),
        counted: z.boolean(),
        reason: z.string(),
      }),
    ),
    testPlanLinks: z.array(z.string()),
    rollbackPlan: z.boolean(),
    /** An accepted emergency override. */
    override: z.object({ label: z.string(), by: z.string(), permission: z.string() }).nullable(),
    /** Merged while the check was failing, pending or missing, without an accepted override. */
    bypass: z
      .object({ mergedBy: z.string().nullable(), checkAtMerge: z.enum(CHECK_AT_MERGE) })
      .nullable(),
    /** The post-change review issue (an override or a bypass), once opened. */
    followUpIssue: z.number().int().positive().nullable(),
  })
  .strict();

export type MergeRecord = z.infer<typeof mergeRecordSchema>;

/** The block to append to the check run's text and to the sticky comment. */
export function mergeRecordBlock(record: MergeRecord): string {
  const json = JSON.stringify(record).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `${OPEN}\n${json}\n${CLOSE}`;
}

export type MergeRecordReading =
  | { readonly kind: "none" }
  | { readonly kind: "record"; readonly record: MergeRecord }
  /** A block is there but is not a valid record (or there are two): never trusted. */
  | { readonly kind: "invalid"; readonly reason: string };

/** Finds and validates the one merge-record block in `text` (a check run's text, a comment). */
export function readMergeRecord(text: string | null | undefined): MergeRecordReading {
  const body = text ?? "";
  const starts = indicesOf(body, OPEN);
  if (starts.length === 0) return { kind: "none" };
  if (starts.length > 1)
    return { kind: "invalid", reason: `${starts.length} merge-record blocks; one is expected` };
  const start = starts[0]! + OPEN.length;
  const end = body.indexOf(CLOSE, start);
  if (end < 0) return { kind: "invalid", reason: "the merge-record block is not closed" };
  let data: unknown;
  try {
    data = JSON.parse(body.slice(start, end));
  } catch (error) {
    return {
      kind: "invalid",
      reason: `the merge-record block is not JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const parsed = mergeRecordSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      kind: "invalid",
      reason: `the merge-record block is not a v${MERGE_RECORD_VERSION} record (${issue.path.join(".") || "(root)"}: ${issue.message})`,
    };
  }
  return { kind: "record", record: parsed.data };
}

/** Two copies of a record say the same (key order and escaping aside). */
export function sameRecord(a: MergeRecord, b: MergeRecord): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

function indicesOf(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length))
    out.push(at);
  return out;
}

/**
 * Merged while the check was not green, without an accepted emergency override: an admin merge,
 * a bypassed ruleset, a check that never ran. Only a pull request that changed infrastructure
 * (risk above none) counts, or one whose evaluation failed outright, where nobody can tell
 * (docs/security.md, "Bypass follow-up"). Also merged outside its change window or in a freeze
 * (the schedule gate is judged at the merge): a green check that had not yet been re-evaluated
 * when its window closed does not make such a merge one the policy allowed.
 */
export function isBypass(evaluation: Evaluation, checkAtMerge: CheckAtMerge): boolean {
  const { verdict } = evaluation;
  const gated = verdict.risk !== "none" || verdict.error?.code === "evaluation.failed";
  const outsideWindow = verdict.gates.some(
    (gate) => gate.gate === "schedule" && gate.status === "fail",
  );
  return gated && !verdict.emergency?.accepted && (checkAtMerge !== "success" || outsideWindow);
}

/** What a merge record takes besides the snapshot and the evaluation. */
export interface MergeFacts {
  readonly checkAtMerge: CheckAtMerge;
  /** The post-change review issue opened for an override or a bypass (null: none). */
  readonly followUpIssue: number | null;
}

/**
 * The merge record of a merged pull request's evaluation; null while it is not merged (or GitHub
 * has not told the merge commit yet).
 */
export function mergeRecordOf(
  snapshot: PullSnapshot,
  evaluation: Evaluation,
  facts: MergeFacts,
): MergeRecord | null {
  const { pull } = snapshot;
  if (!pull.merged || !pull.mergeCommitSha) return null;
  const { verdict } = evaluation;
  const emergency = verdict.emergency?.accepted ? verdict.emergency : null;
  const mergedBy = pull.mergedBy ?? null;
  return {
    version: MERGE_RECORD_VERSION,
    repository: snapshot.repository,
    pull: pull.number,
    title: pull.title ?? "",
    author: pull.author,
    baseRef: pull.baseRef,
    headSha: pull.headSha,
    mergeCommitSha: pull.mergeCommitSha,
    mergedBy,
    mergedAt: pull.mergedAt ?? null,
    evaluatedAt: snapshot.evaluatedAt ?? null,
    risk: verdict.risk,
    verdict: verdict.conclusion,
    checkAtMerge: facts.checkAtMerge,
    files: snapshot.files.map((file) => file.path),
    gates: verdict.gates.map(({ gate, status, detail }) => ({ gate, status, detail })),
    // Approvals only: a request for changes or a commit row is not one (the reviews table has them).
    approvals: verdict.approvals
      .filter((approval) => approval.state === "APPROVED")
      .map(({ user, commitSha, counted, reason }) => ({ user, commitSha, counted, reason })),
    testPlanLinks: [...verdict.testPlanLinks],
    rollbackPlan: hasRollbackPlan(evaluation),
    override: emergency
      ? { label: emergency.label, by: emergency.by, permission: emergency.permission }
      : null,
    bypass: isBypass(evaluation, facts.checkAtMerge)
      ? { mergedBy, checkAtMerge: facts.checkAtMerge }
      : null,
    followUpIssue: facts.followUpIssue,
  };
}

/**
 * How the check stood at the merge, kept in the failing output of a merge evaluation that failed
 * after reading it (its write replaces the run that told it): the next evaluation reads it back
 * instead of taking the App's own failure for the check at merge.
 */
export function checkAtMergeNote(pull: number, checkAtMerge: CheckAtMerge): string {
  return `<!-- changegate:check-at-merge #${pull} ${checkAtMerge} -->`;
}

/** The check at merge a failed merge evaluation of pull request `pull` kept in `text`, if any. */
export function readCheckAtMergeNote(
  text: string | null | undefined,
  pull: number,
): CheckAtMerge | undefined {
  const match = /<!-- changegate:check-at-merge #(\d+) (\w+) -->/.exec(text ?? "");
  if (!match || Number(match[1]) !== pull) return undefined;
  return (CHECK_AT_MERGE as readonly string[]).includes(match[2]!)
    ? (match[2] as CheckAtMerge)
    : undefined;
}

/** Whether the description holds a rollback plan, required at this risk or not (the gate's `present`). */
function hasRollbackPlan(evaluation: Evaluation): boolean {
  const gate = evaluation.verdict.gates.find((one) => one.gate === "rollbackPlan");
  return gate?.present !== undefined;
}

/**
 * `prose` with the record's block after it, within `limit` characters: the prose is clipped
 * (by `clipProse`), never the block, and any text in the prose that opens a merge-record block
 * (pull-request text a renderer let through) is defused, so the block is the only one.
 */
export function withRecordBlock(
  prose: string,
  record: MergeRecord,
  limit: number,
  clipProse: (text: string, limit: number) => string,
): string {
  const block = mergeRecordBlock(record);
  const safe = defuseRecordOpeners(prose);
  return `${clipProse(safe, Math.max(0, limit - block.length - 2))}\n\n${block}`;
}

/** Breaks every `<!-- changegate:merge-record` in `text` with a zero-width space: no block opens there. */
function defuseRecordOpeners(text: string): string {
  return text.replaceAll(OPEN.slice(0, OPEN.indexOf(" v1")), "<!-- changegate:\u200bmerge-record");
}
