import { describe, expect, it } from "vitest";
import { auditPull, type AuditEvidence, type AuditComment } from "../../src/render/audit.js";
import { auditCsv, auditJson, csvCell } from "../../src/render/audit-output.js";
import { mergeRecordBlock, type MergeRecord } from "../../src/render/merge-record.js";

const HEAD = "a".repeat(40);
const MERGE = "b".repeat(40);
const OLD = "c".repeat(40);

const record = (over: Partial<MergeRecord> = {}): MergeRecord => ({
  version: 1,
  repository: "acme/web",
  pull: 12,
  title: "LB maintenance",
  author: "alice",
  baseRef: "main",
  headSha: HEAD,
  mergeCommitSha: MERGE,
  mergedBy: "carol",
  mergedAt: "2026-03-02T10:00:00Z",
  evaluatedAt: "2026-03-02T10:00:05Z",
  risk: "high",
  verdict: "success",
  checkAtMerge: "success",
  files: ["infra/lb.tf"],
  gates: [{ gate: "approvals", status: "pass", detail: "2 of 2" }],
  approvals: [
    { user: "bob", commitSha: HEAD, counted: true, reason: "approved the head" },
    { user: "carol", commitSha: HEAD, counted: true, reason: "approved the head" },
    { user: "dave", commitSha: OLD, counted: false, reason: "stale" },
  ],
  testPlanLinks: ["https://ci.acme.dev/runs/4821"],
  rollbackPlan: true,
  override: null,
  bypass: null,
  followUpIssue: null,
  ...over,
});

const BOT = { login: "changegate", type: "Bot" };
const MALLORY = { login: "mallory", type: "User" };

const botComment = (body: string, editors: AuditComment["editors"] = [BOT]): AuditComment => ({
  id: 123,
  body: `<!-- changegate:sticky -->\nverdict…\n${body}`,
  author: BOT,
  editors,
});

const evidence = (over: Partial<AuditEvidence> = {}): AuditEvidence => ({
  pull: {
    repository: "acme/web",
    number: 12,
    title: "LB maintenance",
    author: "alice",
    mergedAt: "2026-03-02T10:00:00Z",
    mergedBy: "carol",
    mergeCommitSha: MERGE,
    headSha: HEAD,
  },
  appSlug: "changegate",
  checkRun: {
    id: 7,
    status: "completed",
    conclusion: "success",
    title: "High risk — all requirements met",
    text: `summary\n### Findings\n\n${mergeRecordBlock(record())}`,
  },
  comments: [botComment(mergeRecordBlock(record()))],
  ...over,
});

function row(given: AuditEvidence) {
  const outcome = auditPull(given);
  if (outcome.kind !== "row") throw new Error(`expected a row, got ${outcome.kind}`);
  return outcome.row;
}

describe("auditPull: which copy of the merge record is trusted", () => {
  it("verifies the check run's record with a comment copy the bot alone wrote and edited", () => {
    const result = row(evidence());
    expect(result.record).toBe("verified");
    expect(result.merge?.approvals.map((a) => a.user)).toEqual(["bob", "carol", "dave"]);
    expect(result.warnings).toEqual([]);
  });

  it("refuses a comment copy edited by someone else, naming them; the check run's stands alone", () => {
    const result = row(
      evidence({ comments: [botComment(mergeRecordBlock(record()), [MALLORY, BOT])] }),
    );
    expect(result.record).toBe("check-run-only");
    expect(result.merge).not.toBeNull();
    expect(result.warnings).toEqual([
      "the merge record in comment 123 was edited by @mallory; refused",
    ]);
  });

  it("refuses a copy edited by a deleted account, or by another App's bot", () => {
    expect(
      row(evidence({ comments: [botComment(mergeRecordBlock(record()), [null])] })).warnings,
    ).toEqual(["the merge record in comment 123 was edited by a deleted account; refused"]);
    expect(
      row(
        evidence({
          comments: [botComment(mergeRecordBlock(record()), [{ login: "evil", type: "Bot" }])],
        }),
      ).warnings,
    ).toEqual(["the merge record in comment 123 was edited by @evil[bot]; refused"]);
  });

  it("refuses a copy in a comment a user wrote, even under the bot's login spelled as a user", () => {
    const forged = {
      ...botComment(mergeRecordBlock(record()), []),
      author: { login: "changegate", type: "User" },
    };
    const result = row(evidence({ comments: [forged] }));
    expect(result.record).toBe("check-run-only");
    expect(result.warnings).toEqual([
      "the merge record in comment 123 was written by @changegate, not changegate[bot]; refused",
    ]);
  });

  it("refuses a bot-written comment copy that differs from the check run's", () => {
    const result = row(
      evidence({ comments: [botComment(mergeRecordBlock(record({ risk: "low" })))] }),
    );
    expect(result.record).toBe("check-run-only");
    expect(result.warnings).toEqual([
      "the merge record in comment 123 differs from the check run's; refused",
    ]);
  });

  it("refuses a record that names another pull request, head or merge commit", () => {
    const other = (over: Partial<MergeRecord>) =>
      row(
        evidence({
          checkRun: { ...evidence().checkRun!, text: mergeRecordBlock(record(over)) },
          comments: [],
        }),
      );
    expect(other({ pull: 13 }).warnings).toEqual([
      "the merge record in check run 7 names acme/web#13; refused",
    ]);
    expect(other({ headSha: OLD }).warnings).toEqual([
      "the merge record in check run 7 names head ccccccc; refused",
    ]);
    expect(other({ mergeCommitSha: OLD }).record).toBe("refused");
  });

  it("refuses a record that does not parse, and a comment copy without the check run's", () => {
    const broken = row(
      evidence({
        checkRun: { ...evidence().checkRun!, text: "<!-- changegate:merge-record v1\n{nope\n-->" },
      }),
    );
    expect(broken.record).toBe("refused");
    expect(broken.merge).toBeNull();
    expect(broken.warnings[0]).toMatch(
      /^the merge record in check run 7: the merge-record block is not JSON/,
    );
    expect(broken.warnings[1]).toBe(
      "the merge record in comment 123 has no copy in the check run to match; refused",
    );
  });

  it("is check-run-only without a comment (the Action's comment: off)", () => {
    expect(row(evidence({ comments: [] })).record).toBe("check-run-only");
  });

  it("is a missing row with a warning when there is no record, or no check run at all", () => {
    const noRecord = row(
      evidence({ checkRun: { ...evidence().checkRun!, text: "summary" }, comments: [] }),
    );
    expect(noRecord).toMatchObject({ record: "missing", merge: null });
    expect(noRecord.warnings).toEqual([
      "no merge record in check run 7 (High risk — all requirements met)",
    ]);
    expect(row(evidence({ checkRun: null, comments: [] })).warnings).toEqual([
      "no Changegate check run by changegate on aaaaaaa",
    ]);
  });

  it("leaves out a pull request the trusted check run says changed no infrastructure", () => {
    const noInfra = { ...evidence().checkRun!, title: "No infrastructure risk", text: "" };
    expect(auditPull(evidence({ checkRun: noInfra, comments: [] })).kind).toBe("no-infrastructure");
    const draft = { ...noInfra, title: "Draft: No infrastructure risk" };
    expect(auditPull(evidence({ checkRun: draft, comments: [] })).kind).toBe("no-infrastructure");
    const quiet = { ...noInfra, text: mergeRecordBlock(record({ risk: "none", files: [] })) };
    expect(auditPull(evidence({ checkRun: quiet, comments: [] })).kind).toBe("no-infrastructure");
    // Infrastructure files without risk are still a change to show.
    const zero = { ...noInfra, text: mergeRecordBlock(record({ risk: "none" })) };
    expect(auditPull(evidence({ checkRun: zero, comments: [] })).kind).toBe("row");
    // A head shared with another pull request: its title may be about the other one.
    const shared = { ...noInfra, title: "#12 into release: No infrastructure risk" };
    expect(auditPull(evidence({ checkRun: shared, comments: [] })).kind).toBe("no-infrastructure");
    const other = { ...noInfra, title: "#11 into release: No infrastructure risk" };
    expect(auditPull(evidence({ checkRun: other, comments: [] }))).toMatchObject({
      kind: "row",
      row: { record: "missing" },
    });
    // A run still in progress says nothing yet.
    expect(
      auditPull(evidence({ checkRun: { ...noInfra, status: "in_progress" }, comments: [] })).kind,
    ).toBe("row");
  });
});

describe("audit CSV and JSON", () => {
  it("quotes per RFC 4180 and defuses spreadsheet formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    for (const start of ["+1", "-1", "@SUM(A1)", "\tx", "\rx"])
      expect(csvCell(start).replace(/^"/, "")).toMatch(/^'/);
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("writes a header and one CRLF line per row: counted approvers as login@sha7, full SHAs", () => {
    const rows = [row(evidence()), row(evidence({ checkRun: null, comments: [] }))];
    const csv = auditCsv(rows);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "repository,pull,title,author,mergedAt,mergedBy,mergeCommit,head,risk,verdictAtMerge,checkAtMerge,approvers,testPlanLinks,rollbackPlan,override,bypass,followUpIssue,record,warnings",
    );
    expect(lines[1]).toBe(
      `acme/web,12,LB maintenance,alice,2026-03-02T10:00:00Z,carol,${MERGE},${HEAD},high,success,success,bob@aaaaaaa carol@aaaaaaa,https://ci.acme.dev/runs/4821,yes,,no,,verified,`,
    );
    expect(lines[2]).toBe(
      `acme/web,12,LB maintenance,alice,2026-03-02T10:00:00Z,carol,${MERGE},${HEAD},,,,,,,,,,missing,no Changegate check run by changegate on aaaaaaa`,
    );
    expect(lines[3]).toBe("");
  });

  it("defuses a hostile title in CSV; JSON keeps structured approvals", () => {
    const hostile = row(evidence({ pull: { ...evidence().pull, title: "=cmd|' /C calc'!A0" } }));
    expect(auditCsv([hostile]).split("\r\n")[1]).toContain(",'=cmd|' /C calc'!A0,");
    const [json] = JSON.parse(auditJson([hostile])) as Record<string, unknown>[];
    expect(json!.title).toBe("=cmd|' /C calc'!A0");
    expect(json!.approvers).toEqual(record().approvals);
    expect(json!.head).toBe(HEAD);
    expect(json!.record).toBe("verified");
  });
});
