/**
 * The App and the Action are two edges over one core (docs/action.md): for the same pull request
 * they must reach the same verdict and publish the same check run and the same comment.
 *
 * One pull request seen by both, rather than two repositories seeded alike: the emulator's shas
 * hash the commit date of a logical clock, so two seedings give different shas (and repository
 * names), which the comment and the check run quote; on one pull request every sha, number and
 * login is the same for both. Each publishes as itself (the App as changegate[bot] with its App
 * id, the Action as github-actions[bot] with GitHub Actions' id 15368), so their check runs and
 * sticky comments sit side by side, and each must ignore the other's (a comparison would also
 * catch one edge adopting the other's comment).
 */
import { describe, expect, it } from "vitest";
import { GITHUB_ACTIONS } from "@changegate/github-emulator";
import {
  approve,
  check,
  openPull,
  PLANS,
  RISKIER,
  seedWithPolicy,
  useStack,
} from "../e2e/fixture.js";
import {
  annotationFindings,
  deliveredPayload,
  runBundledAction,
  sarifFindings,
  type ActionRun,
  type SarifLog,
} from "./helpers.js";

const stack = useStack();
const emu = () => stack().github;

const APP_BOT = "changegate[bot]";
const ACTION_BOT = "github-actions[bot]";

/** The signed state block the sticky comment carries (src/render/comment-state.ts): keyed per edge. */
const STATE_BLOCK = /<!-- changegate:state [A-Za-z0-9+/=]*(?: [0-9a-f]{64})? -->/g;

/** A login as Markdown text shows it (`changegate\\[bot\\]`). */
const escaped = (login: string): string => login.replace(/[[\]]/g, "\\$&");

/** A comment body without its state block, with either bot's login (plain or escaped) as `<bot>`. */
const comparable = (body: string): string =>
  [APP_BOT, ACTION_BOT].reduce(
    (text, bot) => text.replaceAll(escaped(bot), "<bot>").replaceAll(bot, "<bot>"),
    body.replace(STATE_BLOCK, "<!-- changegate:state … -->"),
  );

/** What one edge published on the pull request's head: its check run and its sticky comment. */
function published(repo: string, number: number, appId: number, bot: string) {
  const head = emu().pull(repo, number).head.sha;
  const runs = emu()
    .checkRuns(repo, head)
    .filter((run) => run.name === "Changegate" && run.appId === appId);
  const comments = emu()
    .comments(repo, number)
    .filter((comment) => comment.user === bot && comment.body.includes("<!-- changegate:sticky -->"));
  expect(runs, `${bot}: one check run on ${head}`).toHaveLength(1);
  expect(comments, `${bot}: one sticky comment`).toHaveLength(1);
  const run = runs[0]!;
  return {
    check: {
      status: run.status,
      conclusion: run.conclusion,
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations: run.output.annotations,
    },
    comment: comparable(comments[0]!.body),
  };
}

/** The bundle on the latest `event`.`action` delivery (pull_request's as pull_request_target). */
async function runAction(
  repo: string,
  action: string,
  event = "pull_request",
): Promise<ActionRun> {
  return runBundledAction(emu(), {
    repo,
    event: event === "pull_request" ? "pull_request_target" : event,
    payload: deliveredPayload(emu(), event, action),
    inputs: { sarif: "changegate.sarif" },
  });
}

/** Both edges published the same thing; returns it. */
function expectParity(repo: string, number: number, result: ActionRun) {
  const app = published(repo, number, emu().state.app.id, APP_BOT);
  const action = published(repo, number, GITHUB_ACTIONS.id, ACTION_BOT);
  expect(action.check).toEqual(app.check);
  expect(action.comment).toBe(app.comment);
  expect(result.code).toBe(app.check.conclusion === "failure" ? 1 : 0);
  expect(result.outputs.conclusion).toBe(app.check.conclusion);
  // The same findings: the Action's SARIF results are the App's annotations.
  const sarif = JSON.parse(result.files["sarif-file"] ?? "null") as SarifLog;
  expect(sarifFindings(sarif)).toEqual(annotationFindings(app.check.annotations));
  return app;
}

describe("the App and the bundled Action publish the same for the same pull request", () => {
  it("the postmortem: blocked, passing with plans and two approvals, stale after a riskier push", async () => {
    // Both edges on one pull request: each would list the other's suggested-fixes review (a bot's
    // COMMENTED review) in its reviews table, written before or after it; suggestions are off here.
    const repo = seedWithPolicy(stack(), "suggestions:\n  maxComments: 0\n");

    const number = await openPull(stack(), repo);
    let result = await runAction(repo, "opened");
    let app = expectParity(repo, number, result);
    expect(app.check).toMatchObject({
      conclusion: "failure",
      title: "High risk — 0 of 2 approvals, test plan missing, rollback plan missing",
    });
    expect(app.check.annotations).toHaveLength(2);
    // Compared without the state block, which each edge signs with its own key.
    expect(app.comment).toContain("<!-- changegate:state … -->");

    await approve(stack(), repo, number, "bob", "carol");
    await emu().editPullRequest(repo, number, { body: PLANS }, "alice");
    await stack().idle();
    result = await runAction(repo, "edited");
    app = expectParity(repo, number, result);
    expect(app.check).toMatchObject({
      conclusion: "success",
      title: "High risk — all requirements met",
    });
    expect(app.comment).toContain("2 of 2 approvals (@\u200bbob, @\u200bcarol)");

    await emu().push(repo, "change", { "infra/lb.tf": RISKIER }, "alice");
    await stack().idle();
    result = await runAction(repo, "synchronize");
    app = expectParity(repo, number, result);
    expect(app.check).toMatchObject({ conclusion: "failure", title: "High risk — 0 of 2 approvals" });
    expect(app.comment).toContain("the infrastructure change has changed since");

    // A recheck by a writer, seen by both: each re-evaluates beside the other's comment and check
    // run without adopting them, finds nothing changed and writes no second check run or comment
    // (`published` expects one of each per edge).
    const mark = emu().mark();
    await emu().comment(repo, number, "/changegate recheck", "bob");
    await stack().idle();
    result = await runAction(repo, "created", "issue_comment");
    expect(expectParity(repo, number, result)).toEqual(app);
    expect(
      emu()
        .since(mark)
        .filter((request) => request.operationId === "checks/create"),
    ).toEqual([]);
    expect(check(stack(), repo, number).count).toBe(2);
  });
});
