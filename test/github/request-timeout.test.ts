import { describe, expect, it } from "vitest";
import { retrySafe } from "../../src/github/request-timeout.js";

// Issue 10, item 26: an attempt that timed out or got a 5xx may have been done by GitHub; only
// requests that do the same when sent twice are retried (the e2e twin is in
// test/e2e/publish-integrity.test.ts, "writes after a timeout").
describe("retrySafe", () => {
  it.each([
    [{ method: "GET", url: "/repos/{owner}/{repo}/pulls/{pull_number}" }, true],
    [{ method: "POST", url: "/graphql" }, true],
    [{ method: "POST", url: "/app/installations/{installation_id}/access_tokens" }, true],
    [{ method: "PATCH", url: "/repos/{owner}/{repo}/issues/comments/{comment_id}" }, true],
    [
      {
        method: "PATCH",
        url: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
        output: { title: "t" },
      },
      true,
    ],
    [{ method: "POST", url: "/repos/{owner}/{repo}/issues/{issue_number}/comments" }, false],
    [{ method: "POST", url: "/repos/{owner}/{repo}/issues" }, false],
    [{ method: "POST", url: "/repos/{owner}/{repo}/check-runs" }, false],
    [
      {
        method: "PATCH",
        url: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
        output: { title: "t", annotations: [{ path: "a.tf" }] },
      },
      false,
    ],
  ])("%j → %s", (options, safe) => {
    expect(retrySafe(options)).toBe(safe);
  });
});
