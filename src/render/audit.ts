/**
 * `changegate audit`: which copy of a merged pull request's merge record can be trusted, and the
 * audit row it gives (docs/audit.md). Pure: what GitHub said in, the row and its warnings out.
 *
 * The completed `Changegate` check run on the head, written by the trusted App, is the authority:
 * only the App that created a check run can change it
 * (https://docs.github.com/en/rest/checks/runs#update-a-check-run). The sticky comment's copy
 * counts only when the App's bot wrote it and every edit of it was the bot's, and it says the same.
 */
import { readMergeRecord, sameRecord, type MergeRecord } from "./merge-record.js";

/** A GraphQL actor: `Bot` for an App's bot (whose GraphQL login has no `[bot]`); null: a deleted account. */
export interface AuditActor {
  readonly login: string;
  readonly type: string;
}

/** GitHub's own account of the merged pull request (the REST pull request list). */
export interface MergedPull {
  readonly repository: string;
  readonly number: number;
  readonly title: string;
  readonly author: string | null;
  readonly mergedAt: string;
  readonly mergedBy: string | null;
  readonly mergeCommitSha: string | null;
  readonly headSha: string;
}

/** The trusted App's latest `Changegate` run on the head. */
export interface AuditCheckRun {
  readonly id: number;
  readonly status: string;
  readonly conclusion: string | null;
  readonly title: string | null;
  /** The output's summary and text: the record is in one of them. */
  readonly text: string;
}

/** A comment of the pull request that holds a merge-record block, with its edit history. */
export interface AuditComment {
  readonly id: number;
  readonly body: string;
  readonly author: AuditActor | null;
  /** `editor` and each `userContentEdits` editor, newest first; null for a deleted account. */
  readonly editors: readonly (AuditActor | null)[];
}

export interface AuditEvidence {
  readonly pull: MergedPull;
  /** The trusted App's slug (`changegate`): its bot is `<slug>[bot]`, `Bot` `<slug>` in GraphQL. */
  readonly appSlug: string;
  readonly checkRun: AuditCheckRun | null;
  readonly comments: readonly AuditComment[];
}

export type RecordStatus = "verified" | "check-run-only" | "refused" | "missing";

export interface AuditRow {
  readonly pull: MergedPull;
  readonly record: RecordStatus;
  /** The trusted record (verified or check-run-only), else null. */
  readonly merge: MergeRecord | null;
  readonly warnings: readonly string[];
}

export type AuditOutcome =
  | { readonly kind: "row"; readonly row: AuditRow }
  /** The trusted check run says the pull request changed no infrastructure: left out, counted. */
  | { readonly kind: "no-infrastructure" };

/**
 * The check run's title for a pull request with no infrastructure risk (src/gates/title.ts); on a
 * head several pull requests share, `#N into BASE: ` names the one it is about (render/check-run.ts).
 */
const NO_INFRA_TITLE = /^(?:#(\d+) into \S+: )?(?:Draft: )?No infrastructure risk$/;

/** The run's title says this pull request (not another one on the same head) changed no infrastructure. */
function saysNoInfrastructure(run: AuditCheckRun, pull: MergedPull): boolean {
  const match = NO_INFRA_TITLE.exec(run.title ?? "");
  return (
    run.status === "completed" &&
    match !== null &&
    (match[1] === undefined || Number(match[1]) === pull.number)
  );
}

/** Judges every copy of the record; see the file comment and docs/audit.md (trust model). */
export function auditPull(evidence: AuditEvidence): AuditOutcome {
  const { pull, checkRun } = evidence;
  const warnings: string[] = [];
  const copy = checkRun ? checkRunCopy(pull, checkRun, warnings) : { kind: "none" as const };
  const comments = evidence.comments.map((comment) =>
    commentCopy(evidence, comment, copy.kind === "record" ? copy.record : null, warnings),
  );
  const trustedComment = comments.some(Boolean);
  if (copy.kind === "record") {
    const merge = copy.record;
    if (merge.risk === "none" && merge.files.length === 0 && warnings.length === 0)
      return { kind: "no-infrastructure" };
    const record = trustedComment ? "verified" : "check-run-only";
    return { kind: "row", row: { pull, record, merge, warnings } };
  }
  const anyCopy = copy.kind === "refused" || evidence.comments.length > 0;
  if (!anyCopy) {
    if (checkRun && saysNoInfrastructure(checkRun, pull)) return { kind: "no-infrastructure" };
    warnings.push(
      checkRun
        ? `no merge record in check run ${checkRun.id} (${checkRun.title ?? "no title"})`
        : `no Changegate check run by ${evidence.appSlug} on ${pull.headSha.slice(0, 7)}`,
    );
    return { kind: "row", row: { pull, record: "missing", merge: null, warnings } };
  }
  return { kind: "row", row: { pull, record: "refused", merge: null, warnings } };
}

type CheckRunCopy =
  | { readonly kind: "none" }
  | { readonly kind: "refused" }
  | { readonly kind: "record"; readonly record: MergeRecord };

function checkRunCopy(pull: MergedPull, run: AuditCheckRun, warnings: string[]): CheckRunCopy {
  const where = `the merge record in check run ${run.id}`;
  const reading = readMergeRecord(run.text);
  if (reading.kind === "none") return { kind: "none" };
  if (reading.kind === "invalid") {
    warnings.push(`${where}: ${reading.reason}; refused`);
    return { kind: "refused" };
  }
  const other = otherPull(pull, reading.record);
  if (other) {
    warnings.push(`${where} ${other}; refused`);
    return { kind: "refused" };
  }
  return { kind: "record", record: reading.record };
}

/** True when the comment's copy is trustworthy; otherwise says why in `warnings`. */
function commentCopy(
  evidence: AuditEvidence,
  comment: AuditComment,
  authority: MergeRecord | null,
  warnings: string[],
): boolean {
  const where = `the merge record in comment ${comment.id}`;
  const refuse = (why: string): false => {
    warnings.push(`${where} ${why}; refused`);
    return false;
  };
  if (!isBot(comment.author, evidence.appSlug))
    return refuse(`was written by ${who(comment.author)}, not ${evidence.appSlug}[bot]`);
  const editors = [
    ...new Set(
      comment.editors.filter((editor) => !isBot(editor, evidence.appSlug)).map((e) => who(e)),
    ),
  ];
  if (editors.length) return refuse(`was edited by ${editors.join(", ")}`);
  const reading = readMergeRecord(comment.body);
  if (reading.kind !== "record")
    return refuse(reading.kind === "invalid" ? `is unreadable (${reading.reason})` : "is gone");
  const other = otherPull(evidence.pull, reading.record);
  if (other) return refuse(other);
  if (!authority) return refuse("has no copy in the check run to match");
  if (!sameRecord(authority, reading.record)) return refuse("differs from the check run's");
  return true;
}

/** Why a record is not this pull request's merge, or undefined when it is. */
function otherPull(pull: MergedPull, record: MergeRecord): string | undefined {
  if (
    record.repository.toLowerCase() !== pull.repository.toLowerCase() ||
    record.pull !== pull.number
  )
    return `names ${record.repository}#${record.pull}`;
  if (record.headSha !== pull.headSha) return `names head ${record.headSha.slice(0, 7)}`;
  if (pull.mergeCommitSha && record.mergeCommitSha !== pull.mergeCommitSha)
    return `names merge commit ${record.mergeCommitSha.slice(0, 7)}`;
  return undefined;
}

/** The App's bot: GraphQL shows it as a `Bot` whose login is the App's slug (no `[bot]`). */
function isBot(actor: AuditActor | null, slug: string): boolean {
  return (
    actor !== null &&
    actor.type === "Bot" &&
    actor.login.replace(/\[bot\]$/, "").toLowerCase() === slug.toLowerCase()
  );
}

const who = (actor: AuditActor | null): string =>
  actor === null ? "a deleted account" : `@${actor.login}${actor.type === "Bot" ? "[bot]" : ""}`;
