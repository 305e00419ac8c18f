/**
 * The Action with `comment: off` on a merge that bypassed the gate: it opens the post-change
 * review issue and writes the merge record to its check run, like the App, though it writes no
 * sticky comment. Run in process from the sources (`runAction`, src/action/main.ts) with the
 * runner's environment (test/action/helpers.ts), so it tests this tree rather than the bundle.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GITHUB_ACTIONS } from "@changegate/github-emulator";
import { runAction } from "../../src/action/main.js";
import { readMergeRecord } from "../../src/render/merge-record.js";
import { followUpIssues, openPull, seedRepo, useStack } from "../e2e/fixture.js";
import { actionDefaults, defaultBranchSha, deliveredPayload, inputVariable } from "./helpers.js";

const stack = useStack({ webhookTarget: false });
const emu = () => stack().github;
const temps: string[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) rmSync(temp, { recursive: true, force: true });
});

/** The Action's step on the latest `pull_request` `closed` delivery, as pull_request_target. */
async function runOnClosed(repo: string, inputs: Record<string, string>): Promise<number> {
  const temp = mkdtempSync(join(tmpdir(), "changegate-merge-"));
  temps.push(temp);
  const eventPath = join(temp, "event.json");
  writeFileSync(eventPath, JSON.stringify(deliveredPayload(emu(), "pull_request", "closed")));
  for (const file of ["output", "summary"]) writeFileSync(join(temp, file), "");
  const token = emu().actionsToken(repo);
  const values = { ...actionDefaults(token), ...inputs };
  const env: NodeJS.ProcessEnv = {
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request_target",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: join(temp, "output"),
    GITHUB_STEP_SUMMARY: join(temp, "summary"),
    GITHUB_REPOSITORY: repo,
    GITHUB_TOKEN: token,
    GITHUB_API_URL: emu().url,
    GITHUB_GRAPHQL_URL: emu().graphqlUrl,
    GITHUB_SHA: defaultBranchSha(emu(), repo),
    GITHUB_REF: "refs/heads/main",
    RUNNER_TEMP: temp,
    CHANGEGATE_ACTION_THROTTLE: "off",
    ...Object.fromEntries(Object.entries(values).map(([name, v]) => [inputVariable(name), v])),
  };
  return runAction(env, { stdout: () => undefined, stderr: () => undefined });
}

describe("the Action on a bypassing merge, with comment: off", () => {
  it("opens the follow-up issue once and records it in its check run", async () => {
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo); // no workflow ran: the check never ran
    await emu().mergePullRequest(repo, number, "ada", { force: true });
    for (let run = 0; run < 2; run++)
      expect(await runOnClosed(repo, { comment: "off" })).toBe(1);

    const issues = followUpIssues(stack(), repo, number);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.user).toBe("github-actions[bot]");
    expect(issues[0]!.assignees).toEqual(["ada"]);
    expect(issues[0]!.body).toContain("**missing (a check that never ran)**");
    const head = emu().pull(repo, number).head.sha;
    const run = emu()
      .checkRuns(repo, head)
      .filter((one) => one.name === "Changegate" && one.appId === GITHUB_ACTIONS.id)
      .at(-1)!;
    const reading = readMergeRecord(run.output.text);
    expect(reading).toMatchObject({
      kind: "record",
      record: {
        checkAtMerge: "missing",
        bypass: { mergedBy: "ada", checkAtMerge: "missing" },
        followUpIssue: issues[0]!.number,
      },
    });
    expect(emu().comments(repo, number)).toEqual([]);
  });
});
