// `changegate audit` against the emulator and the real App: the demo's postmortem pull request,
// brought to green and merged, is listed with its approvers and the commits they approved; the
// sticky comment edited by someone else is refused with a warning (docs/audit.md).
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auditCommand } from "../../src/cli/audit-command.js";
import { main } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import { DEMO_REPO, runPostmortemDemo } from "../../tools/demo/postmortem.js";
import { run } from "../cli/cli-helpers.js";
import { sticky, useStack } from "./fixture.js";

const stack = useStack();

afterEach(() => {
  vi.unstubAllEnvs();
});

interface JsonRow {
  pull: number;
  head: string;
  mergeCommit: string;
  mergedBy: string;
  risk: string;
  verdictAtMerge: string;
  checkAtMerge: string;
  approvers: { user: string; commitSha: string; counted: boolean }[];
  testPlanLinks: string[];
  rollbackPlan: boolean;
  record: string;
  warnings: string[];
}

function audit(...args: string[]) {
  vi.stubEnv("GITHUB_TOKEN", stack().github.userToken("audrey"));
  return run("audit", "--api-url", stack().github.url, ...args);
}

let merged: Promise<{ number: number; head: string; mergeCommit: string }> | undefined;

/** The demo's postmortem PR brought to green and merged by carol, once for the file. */
function mergedDemo() {
  merged ??= (async () => {
    const { github } = stack();
    await runPostmortemDemo(stack());
    // The push of step 5 left bob's and carol's approvals on the old head: they approve again.
    const number = 1;
    const head = github.pull(DEMO_REPO, number).head.sha;
    await github.submitReview(DEMO_REPO, number, { user: "bob", state: "APPROVED" });
    await github.submitReview(DEMO_REPO, number, { user: "carol", state: "APPROVED" });
    await stack().idle();
    const { sha: mergeCommit } = await github.mergePullRequest(DEMO_REPO, number, "carol");
    await stack().idle();
    return { number, head, mergeCommit };
  })();
  return merged;
}

describe("changegate audit on the demo's merged pull request", () => {
  it("lists it with approvers and SHAs in CSV and JSON, then refuses the comment another user edited", async () => {
    const { github } = stack();
    const { number, head, mergeCommit } = await mergedDemo();

    const csv = await audit("--repo", DEMO_REPO, "--since", "2024-01-01", "--format", "csv");
    expect(csv.code).toBe(0);
    const lines = csv.out.split("\r\n");
    expect(lines).toHaveLength(3);
    const cells = lines[1]!.split(",");
    expect(cells.slice(0, 2)).toEqual(["acme/web", "1"]);
    expect(lines[1]).toContain(`,carol,${mergeCommit},${head},`);
    expect(lines[1]).toContain(`bob@${head.slice(0, 7)} carol@${head.slice(0, 7)}`);
    expect(lines[1]).toMatch(/,high,success,success,[^,]+,OPS-42,yes,,no,,verified,$/);
    expect(csv.err).toBe(
      "changegate audit: 1 merged pull request in 1 repository: 1 listed (1 verified, 0 check-run-only, 0 refused, 0 missing), 0 left out (no infrastructure change)\n",
    );

    const json = await audit("--repo", DEMO_REPO, "--since", "2024-01-01", "--format", "json");
    expect(json.code).toBe(0);
    const [row] = JSON.parse(json.out) as JsonRow[];
    expect(row).toMatchObject({
      pull: 1,
      head,
      mergeCommit,
      mergedBy: "carol",
      verdictAtMerge: "success",
      checkAtMerge: "success",
      rollbackPlan: true,
      record: "verified",
      warnings: [],
    });
    const counted = row!.approvers.filter((approval) => approval.counted);
    expect(counted.map(({ user, commitSha }) => `${user}@${commitSha}`)).toEqual([
      `bob@${head}`,
      `carol@${head}`,
    ]);
    // alice's own approval is there, not counted.
    expect(row!.approvers.some((a) => a.user === "alice" && !a.counted)).toBe(true);

    // mallory, a writer, edits the App's sticky comment.
    github.addCollaborator(DEMO_REPO, "mallory", "write");
    const [comment] = sticky(stack(), DEMO_REPO, number);
    const forged = comment!.body.replace('"risk":"high"', '"risk":"low"');
    expect(forged).not.toBe(comment!.body); // an edit that changes the record, not a no-op
    await github.editComment(DEMO_REPO, comment!.id, forged, "mallory");
    await stack().idle();
    const edited = await audit("--repo", DEMO_REPO, "--since", "2024-01-01", "--format", "json");
    expect(edited.err.split("\n")[0]).toBe(
      `changegate audit: acme/web#1: the merge record in comment ${comment!.id} was edited by @mallory; refused`,
    );
    expect(edited.code).toBe(0);
    expect(edited.err.split("\n")[1]).toContain("0 verified, 1 check-run-only");
    expect(JSON.parse(edited.out)).toMatchObject([{ record: "check-run-only", risk: "high" }]);
  });
});

describe("changegate audit to a terminal", () => {
  it("ends CSV lines with a line feed alone (a carriage return would show as \\u000d)", async () => {
    await mergedDemo();
    let out = "";
    vi.stubEnv("GITHUB_TOKEN", stack().github.userToken("audrey"));
    const code = await main(
      ["audit", "--repo", DEMO_REPO, "--since", "2024-01-01", "--api-url", stack().github.url],
      { out: (text) => void (out += text), err: () => undefined, outIsTTY: true },
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^repository,pull,[^\r]*\nacme\/web,1,[^\r]*\n$/);
    expect(out).not.toContain("\\u000d");
  });
});

describe("changegate audit: pages, range and output", () => {
  it("reads closed pull requests page by page and stops at the first page older than --since", async () => {
    const { github } = stack();
    github.setWebhookTarget(undefined); // no App: each merge is a row with a missing record
    const repo = "acme/many";
    github.createRepo(repo, { ownerType: "Organization", files: { "infra/lb.tf": "a = 1\n" } });
    const mergedAt: string[] = [];
    for (let i = 1; i <= 8; i++) {
      github.commit(repo, `b${i}`, { "infra/lb.tf": `a = ${i + 1}\n` }, "alice");
      const { number } = await github.openPullRequest(repo, { head: `b${i}`, author: "alice" });
      await github.mergePullRequest(repo, number, "ada");
      mergedAt.push(github.pull(repo, number).mergedAt!);
    }
    github.commit(repo, "b9", { "README.md": "x\n" }, "alice");
    const { number: unmerged } = await github.openPullRequest(repo, {
      head: "b9",
      author: "alice",
    });
    await github.closePullRequest(repo, unmerged, "alice");
    const mark = github.mark();

    const folder = mkdtempSync(join(tmpdir(), "audit-"));
    const output = join(folder, "audit.csv");
    let err = "";
    const io: CliIo = { out: () => undefined, err: (text) => void (err += text), errIsTTY: true };
    const code = await auditCommand(
      { repo: [repo], since: mergedAt[5], until: mergedAt[6], format: "csv", output },
      io,
      { env: { GITHUB_TOKEN: github.userToken("audrey") }, apiUrl: github.url, perPage: 2 },
    );
    expect(code).toBe(1);
    const rows = readFileSync(output, "utf8").split("\r\n").slice(1, -1);
    expect(rows.map((line) => line.split(",")[1])).toEqual(["6", "7"]);
    expect(
      rows.every((line) => line.includes(",missing,no Changegate check run by changegate on")),
    ).toBe(true);
    expect(readdirSync(folder)).toEqual(["audit.csv"]);
    const pages = github
      .since(mark)
      .filter((request) => request.operationId === "pulls/list")
      .map((request) => request.query.page);
    // 9 updated, 8 | 7, 6 | 5, 4 (all before --since): pages 4 and 5 are never read.
    expect(pages).toEqual(["1", "2", "3"]);
    // On a terminal: progress lines, cleared before the warnings and the summary.
    expect(err).toContain("\rchangegate: acme/many (1/1): 1/2 pull requests");
    const cleared = "\r\u001b[K";
    expect(err).toContain(`${cleared}changegate audit: acme/many#6: no Changegate check run`);
    expect(
      err.endsWith(
        `${cleared}changegate audit: 2 merged pull requests in 1 repository: 2 listed (0 verified, 0 check-run-only, 0 refused, 2 missing), 0 left out (no infrastructure change)\n`,
      ),
    ).toBe(true);
  });

  it("prints no progress on a pipe, and writes no file when GitHub cannot be read", async () => {
    const folder = mkdtempSync(join(tmpdir(), "audit-"));
    const output = join(folder, "audit.json");
    const result = await audit(
      "--repo",
      "acme/nowhere",
      "--since",
      "2024-01-01",
      "--output",
      output,
    );
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /^changegate: cannot read 127\.0\.0\.1:\d+: GitHub API answered 404: [^\n]*\n$/,
    );
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe("changegate audit warnings", () => {
  it("show a control character a record's reason quotes, never send it to the terminal", async () => {
    const { github } = stack();
    github.setWebhookTarget(undefined);
    const repo = "acme/odd";
    github.createRepo(repo, { ownerType: "Organization", files: { "infra/lb.tf": "a = 1\n" } });
    github.commit(repo, "x", { "infra/lb.tf": "a = 2\n" }, "alice");
    const { number } = await github.openPullRequest(repo, { head: "x", author: "alice" });
    await github.mergePullRequest(repo, number, "ada");
    // The App's bot writes a broken block holding an escape sequence (clear screen).
    const installation = github.addInstallation("acme");
    const tokens = await fetch(`${github.url}/app/installations/${installation}/access_tokens`, {
      method: "POST",
      headers: { authorization: "Bearer x.y.z" },
    });
    const { token } = (await tokens.json()) as { token: string };
    await fetch(`${github.url}/repos/${repo}/issues/${number}/comments`, {
      method: "POST",
      headers: { authorization: `token ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ body: '<!-- changegate:merge-record v1\n{"a":\u001b[2J}\n-->' }),
    });
    const result = await audit("--repo", repo, "--since", "2024-01-01");
    expect(result.code).toBe(1);
    const [warning] = result.err.split("\n");
    expect(warning).toMatch(
      /^changegate audit: acme\/odd#1: the merge record in comment \d+ is unreadable/,
    );
    expect(warning).toContain("token '\\u001b'");
    expect(result.err).not.toContain("\u001b");
  });
});

describe("changegate audit --all, as the App", () => {
  it("signs a JWT, reads every installation's repositories with installation tokens and trusts GET /app's slug", async () => {
    await mergedDemo();
    const { github } = stack();
    const { appId, privateKey } = github.appCredentials();
    vi.stubEnv("GITHUB_TOKEN", "");
    vi.stubEnv("APP_ID", String(appId));
    vi.stubEnv("PRIVATE_KEY", privateKey.replace(/\n/g, "\\n"));
    const result = await run(
      "audit",
      "--all",
      "--since",
      "2024-01-01",
      "--format",
      "json",
      "--api-url",
      github.url,
    );
    const repositories = [...github.state.repos.values()].length;
    expect(result.err.trimEnd().split("\n").at(-1)).toMatch(
      new RegExp(
        `^changegate audit: \\d+ merged pull requests? in ${repositories} repositor(y|ies): `,
      ),
    );
    const rows = JSON.parse(result.out) as { repository: string; pull: number; record: string }[];
    expect(rows).toContainEqual(
      expect.objectContaining({
        repository: DEMO_REPO,
        pull: 1,
        record: expect.stringMatching(/^(verified|check-run-only)$/),
      }),
    );
    const app = github.requests.filter((request) => request.path.startsWith("/app"));
    expect(app.map((request) => request.operationId)).toEqual(
      expect.arrayContaining([
        "apps/get-authenticated",
        "apps/list-installations",
        "apps/create-installation-access-token",
      ]),
    );
    expect(
      github.requests.some((r) => r.operationId === "apps/list-repos-accessible-to-installation"),
    ).toBe(true);

    vi.stubEnv("APP_ID", String(appId));
    const other = await run(
      "audit",
      "--all",
      "--app",
      "someone-else",
      "--since",
      "2024-01-01",
      "--api-url",
      github.url,
    );
    expect(other).toMatchObject({
      code: 2,
      out: "",
      err: "changegate: --app someone-else: the credentials are the App changegate's\n",
    });
  });
});
