/**
 * The audit's rows as CSV and JSON (docs/audit.md lists the columns). Pure: they format, never
 * decide.
 */
import type { AuditRow } from "./audit.js";

/** The columns, in order: CSV's header and JSON's keys. */
const AUDIT_COLUMNS = [
  "repository",
  "pull",
  "title",
  "author",
  "mergedAt",
  "mergedBy",
  "mergeCommit",
  "head",
  "risk",
  "verdictAtMerge",
  "checkAtMerge",
  "approvers",
  "testPlanLinks",
  "rollbackPlan",
  "override",
  "bypass",
  "followUpIssue",
  "record",
  "warnings",
] as const;

/** One row as JSON: full SHAs, every approval with the commit it approved. */
function auditJsonRow(row: AuditRow) {
  const { pull, merge } = row;
  return {
    repository: pull.repository,
    pull: pull.number,
    title: pull.title,
    author: pull.author,
    mergedAt: pull.mergedAt,
    mergedBy: merge?.mergedBy ?? pull.mergedBy,
    mergeCommit: pull.mergeCommitSha,
    head: pull.headSha,
    risk: merge?.risk ?? null,
    verdictAtMerge: merge?.verdict ?? null,
    checkAtMerge: merge?.checkAtMerge ?? null,
    approvers: merge?.approvals ?? null,
    testPlanLinks: merge?.testPlanLinks ?? null,
    rollbackPlan: merge?.rollbackPlan ?? null,
    override: merge?.override ?? null,
    bypass: merge?.bypass ?? null,
    followUpIssue: merge?.followUpIssue ?? null,
    record: row.record,
    warnings: row.warnings,
  };
}

export function auditJson(rows: readonly AuditRow[]): string {
  return JSON.stringify(rows.map(auditJsonRow), null, 2) + "\n";
}

/** CSV per RFC 4180: a header line, CRLF line ends, fields quoted where they need it. */
export function auditCsv(rows: readonly AuditRow[]): string {
  const lines = [
    AUDIT_COLUMNS.join(","),
    ...rows.map((row) => csvCells(row).map(csvCell).join(",")),
  ];
  return lines.map((line) => `${line}\r\n`).join("");
}

function csvCells(row: AuditRow): string[] {
  const json = auditJsonRow(row);
  const merge = row.merge;
  const approvers = (merge?.approvals ?? [])
    .filter((approval) => approval.counted)
    .map((approval) => `${approval.user}@${approval.commitSha?.slice(0, 7) ?? "unknown"}`);
  const cells: Record<(typeof AUDIT_COLUMNS)[number], string> = {
    repository: json.repository,
    pull: String(json.pull),
    title: json.title,
    author: json.author ?? "",
    mergedAt: json.mergedAt,
    mergedBy: json.mergedBy ?? "",
    mergeCommit: json.mergeCommit ?? "",
    head: json.head,
    risk: json.risk ?? "",
    verdictAtMerge: json.verdictAtMerge ?? "",
    checkAtMerge: json.checkAtMerge ?? "",
    approvers: approvers.join(" "),
    testPlanLinks: (json.testPlanLinks ?? []).join(" "),
    rollbackPlan: merge ? (merge.rollbackPlan ? "yes" : "no") : "",
    override: merge?.override ? merge.override.by : "",
    bypass: merge ? (merge.bypass ? "yes" : "no") : "",
    followUpIssue: json.followUpIssue === null ? "" : String(json.followUpIssue),
    record: row.record,
    warnings: row.warnings.join("; "),
  };
  return AUDIT_COLUMNS.map((column) => cells[column]);
}

/**
 * One CSV field. A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return as a formula: such a cell gets a leading `'` (OWASP, "CSV Injection",
 * https://owasp.org/www-community/attacks/CSV_Injection). Then RFC 4180 quoting
 * (https://www.rfc-editor.org/rfc/rfc4180#section-2): a field holding a comma, a quote or a line
 * break is quoted, its quotes doubled.
 */
export function csvCell(value: string): string {
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}
