/**
 * The Action end to end: the committed bundle (action/index.mjs) run as a child process with the
 * runner's environment, against the GitHub emulator, through the postmortem scenario
 * (test/e2e/fixture.ts). The App is not involved: the emulator delivers to no one, and each step
 * takes its event payload from `emu.deliveries()`, as the runner would take the webhook's.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { GITHUB_ACTIONS } from "@changegate/github-emulator";
import { PLANS, RISKIER, seedRepo, seedWithPolicy, useStack } from "../e2e/fixture.js";
import {
  annotationFindings,
  commands,
  deliveredPayload,
  runBundledAction,
  sarifFindings,
  type ActionRun,
  type SarifLog,
} from "./helpers.js";

const stack = useStack({ webhookTarget: false });
const emu = () => stack().github;

const BOT = "github-actions[bot]";

/** The payload of the latest delivery of `event`.`action` (what the runner puts in GITHUB_EVENT_PATH). */
const delivered = (event: string, action: string) => deliveredPayload(emu(), event, action);

/** The Changegate check runs on the PR's current head, and the one GitHub Actions (15368) wrote last. */
function actionCheck(repo: string, number: number) {
  const head = emu().pull(repo, number).head.sha;
  const runs = emu()
    .checkRuns(repo, head)
    .filter((run) => run.name === "Changegate");
  return { runs, run: runs.filter((run) => run.appId === GITHUB_ACTIONS.id).at(-1) };
}

/** The comments with Changegate's sticky marker, and who wrote them. */
function stickies(repo: string, number: number) {
  return emu()
    .comments(repo, number)
    .filter((comment) => comment.body.includes("<!-- changegate:sticky -->"));
}

/**
 * What every evaluating step leaves: the Changegate check runs on the head were all written by
 * GitHub Actions (15368), the sticky comment (one) by its bot, and no request GitHub would
 * refuse. Returns the latest check run.
 */
function expectPublishedByActions(repo: string, number: number, comment = true) {
  const { runs, run: latest } = actionCheck(repo, number);
  expect(runs.length).toBeGreaterThan(0);
  expect(runs.map((candidate) => candidate.appId)).toEqual(runs.map(() => GITHUB_ACTIONS.id));
  expect(stickies(repo, number).map((sticky) => sticky.user)).toEqual(comment ? [BOT] : []);
  expect(emu().violations).toEqual([]);
  return latest!;
}

/**
 * The requests since `mark` other than the idle App's start-up `GET /app` (Probot's, with its
 * JWT, which may land at any time: the Action never asks for the authenticated App).
 */
const requestsSince = (mark: number) =>
  emu()
    .since(mark)
    .filter((request) => request.operationId !== "apps/get-authenticated");

/** The postmortem replay runs as in production, a second between writes; the other tests do not wait. */
let throttle = false;

async function run(
  repo: string,
  event: string,
  payload: Record<string, unknown>,
  inputs: Record<string, string> = {},
): Promise<ActionRun> {
  return runBundledAction(emu(), { repo, event, payload, inputs, throttle });
}

/** Opens the postmortem pull request (alice, from `change`); returns its number. */
async function open(repo: string, body = "Routine maintenance."): Promise<number> {
  const { number } = await emu().openPullRequest(repo, {
    head: "change",
    author: "alice",
    title: "LB maintenance",
    body,
  });
  return number;
}

/** Failure detail for an assertion on a run: its exit code and what it printed. */
const shown = (result: ActionRun): string =>
  `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;

describe("the bundled Action end to end (runner environment, emulated GitHub)", () => {
  it("replays the postmortem: blocked, review relayed, workflow_run evaluates, plans pass, a riskier push makes approvals stale", async () => {
    throttle = true;
    onTestFinished(() => {
      throttle = false;
    });
    const repo = seedRepo(stack());

    // 1. Opened with the postmortem change and no plans.
    const number = await open(repo);
    let result = await run(repo, "pull_request_target", delivered("pull_request", "opened"));
    expect(result.code, shown(result)).toBe(1);
    expect(result.outputs).toMatchObject({ risk: "high", conclusion: "failure", "sarif-file": "" });
    let { runs, run: check } = actionCheck(repo, number);
    expect(runs).toHaveLength(1);
    expect(check).toMatchObject({
      status: "completed",
      conclusion: "failure",
      output: { title: "High risk — 0 of 2 approvals, test plan missing, rollback plan missing" },
    });
    expect(check!.output.annotations.map((a) => [a.path, a.start_line])).toEqual([
      ["infra/lb.tf", 11],
      ["infra/lb.tf", 20],
    ]);
    expect(result.summary).toContain(check!.output.title!);
    expect(result.summary).toContain(check!.output.summary!);
    expect(result.summary).toContain(check!.output.text!);
    for (const rule of ["lb.health-check.detection-too-fast", "lb.stickiness.duration-cut"])
      expect(result.summary).toContain(rule);
    const errors = commands(result.stdout, "error");
    expect(errors.filter((line) => line.startsWith("::error file=infra/lb.tf,line="))).toEqual([
      expect.stringMatching(/^::error file=infra\/lb\.tf,line=11,/),
      expect.stringMatching(/^::error file=infra\/lb\.tf,line=20,/),
    ]);
    expectPublishedByActions(repo, number);

    // 2. Two writers approve: the review run (possibly the PR's own workflow) only relays.
    for (const user of ["bob", "carol"])
      await emu().submitReview(repo, number, { user, state: "APPROVED" });
    const mark = emu().mark();
    result = await run(repo, "pull_request_review", delivered("pull_request_review", "submitted"));
    expect(result.code, shown(result)).toBe(0);
    expect(commands(result.stdout, "notice").join("\n")).toContain("re-evaluation");
    expect(commands(result.stdout, "error")).toEqual([]);
    expect(result.outputs).toEqual({ risk: "", conclusion: "", "sarif-file": "" });
    expect(result.summary).toBe("");
    expect(requestsSince(mark)).toEqual([]);
    expect(actionCheck(repo, number).runs).toHaveLength(1);
    // … and the default branch's workflow_run evaluates.
    const head = emu().pull(repo, number).head.sha;
    result = await run(
      repo,
      "workflow_run",
      emu().workflowRunPayload(repo, { headSha: head, pullNumbers: [number] }),
    );
    expect(result.code, shown(result)).toBe(1);
    expect(result.outputs).toMatchObject({ risk: "high", conclusion: "failure" });
    expect(expectPublishedByActions(repo, number).output.title).toBe(
      "High risk — test plan missing, rollback plan missing",
    );

    // 3. The test and rollback plans go into the body.
    await emu().editPullRequest(repo, number, { body: PLANS }, "alice");
    result = await run(repo, "pull_request_target", delivered("pull_request", "edited"));
    expect(result.code, shown(result)).toBe(0);
    expect(result.outputs).toMatchObject({ risk: "high", conclusion: "success" });
    expect(expectPublishedByActions(repo, number)).toMatchObject({
      conclusion: "success",
      output: { title: "High risk — all requirements met" },
    });
    expect(commands(result.stdout, "error").filter((line) => !line.includes("file="))).toEqual([]);

    // 4. A riskier push: the approvals were for another change.
    await emu().push(repo, "change", { "infra/lb.tf": RISKIER }, "alice");
    result = await run(repo, "pull_request_target", delivered("pull_request", "synchronize"));
    expect(result.code, shown(result)).toBe(1);
    expect(result.outputs).toMatchObject({ risk: "high", conclusion: "failure" });
    ({ runs, run: check } = actionCheck(repo, number));
    expect(runs).toHaveLength(1);
    expect(check!.headSha).toBe(emu().pull(repo, number).head.sha);
    expect(check).toMatchObject({
      conclusion: "failure",
      output: { title: "High risk — 0 of 2 approvals" },
    });
    expectPublishedByActions(repo, number);
    expect(stickies(repo, number)[0]!.body).toContain(
      "the infrastructure change has changed since",
    );
  });

  it("workflow_run from a fork (no pull_requests) evaluates the open pull request at that head", async () => {
    const repo = seedRepo(stack());
    const number = await open(repo, PLANS);
    const head = emu().pull(repo, number).head.sha;
    const payload = emu().workflowRunPayload(repo, { headSha: head, pullNumbers: [] });
    expect((payload.workflow_run as { pull_requests: unknown[] }).pull_requests).toEqual([]);
    const result = await run(repo, "workflow_run", payload);
    expect(result.code, shown(result)).toBe(1);
    expect(expectPublishedByActions(repo, number)).toMatchObject({
      headSha: head,
      conclusion: "failure",
      output: { title: "High risk — 0 of 2 approvals" },
    });
    expect(result.summary).toContain(`Changegate #${number}`);
  });

  it("/changegate recheck: a writer's evaluates, a reader's is refused with a reply", async () => {
    const repo = seedRepo(stack());
    const number = await open(repo);
    await emu().comment(repo, number, "/changegate recheck", "bob");
    let result = await run(repo, "issue_comment", delivered("issue_comment", "created"));
    expect(result.code, shown(result)).toBe(1);
    expect(result.outputs).toMatchObject({ risk: "high", conclusion: "failure" });
    expect(expectPublishedByActions(repo, number).conclusion).toBe("failure");

    const mark = emu().mark();
    await emu().comment(repo, number, "/changegate recheck", "rita");
    result = await run(repo, "issue_comment", delivered("issue_comment", "created"));
    expect(result.code, shown(result)).toBe(0);
    expect(result.outputs.conclusion).toBe("");
    const replies = emu()
      .comments(repo, number)
      .filter((comment) =>
        comment.body.includes("commands are accepted from people with write access only"),
      );
    expect(replies.map((comment) => comment.user)).toEqual([BOT]);
    expect(
      emu()
        .since(mark)
        .filter((request) => request.operationId?.startsWith("checks/")),
    ).toEqual([]);
  });

  it("repository_dispatch (event type changegate) evaluates the pull request it names", async () => {
    const repo = seedRepo(stack());
    const number = await open(repo, PLANS);
    const result = await run(
      repo,
      "repository_dispatch",
      emu().repositoryDispatchPayload(repo, {
        eventType: "changegate",
        clientPayload: { pull_number: number },
      }),
    );
    expect(result.code, shown(result)).toBe(1);
    expect(result.outputs).toMatchObject({ risk: "high", conclusion: "failure" });
    expect(expectPublishedByActions(repo, number).output.title).toBe(
      "High risk — 0 of 2 approvals",
    );
  });

  it("runBundledAction kills a run that outlives its timeout", async () => {
    const repo = seedRepo(stack());
    await open(repo);
    const slow = emu().injectFault({ operationId: "apps/get-by-slug", delayMs: 1200 });
    const mark = emu().mark();
    const result = await runBundledAction(emu(), {
      repo,
      event: "pull_request_target",
      payload: delivered("pull_request", "opened"),
      timeoutMs: 400,
    });
    expect(result.code).toBeNull();
    expect(result.stderr).toContain("killed after 400 ms");
    // When the child asked before it was killed, its slow answer must end within this test, not
    // in the next one's request log.
    const answered = () => requestsSince(mark).some((r) => r.operationId === "apps/get-by-slug");
    for (let waited = 0; slow.hits > 0 && !answered() && waited < 5000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(slow.hits === 0 || answered()).toBe(true);
  });

  it("refuses pull_request (the PR's own workflow) with one error and no request", async () => {
    const repo = seedRepo(stack());
    await open(repo, PLANS);
    const mark = emu().mark();
    const result = await run(repo, "pull_request", delivered("pull_request", "opened"));
    expect(result.code, shown(result)).toBe(1);
    const errors = commands(result.stdout, "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("pull_request_target");
    expect(requestsSince(mark)).toEqual([]);
  });

  it("outside a runner (no environment at all): one ::error:: line, exit 1", async () => {
    const repo = seedRepo(stack());
    const mark = emu().mark();
    const result = await runBundledAction(emu(), { repo, event: "", payload: {}, bareEnv: true });
    expect(result.code, shown(result)).toBe(1);
    const lines = result.stdout.split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(1);
    // The event is read before the inputs: "not a workflow step" says more than a missing token.
    expect(lines[0]).toMatch(
      /^::error::Changegate: GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: run Changegate as a step of a GitHub Actions workflow/,
    );
    expect(requestsSince(mark)).toEqual([]);
  });

  it("a teams gate under GITHUB_TOKEN fails closed and names the token's missing team access", async () => {
    const repo = seedWithPolicy(stack(), "requirements:\n  high: { teams: [acme/sre] }\n");
    emu().addTeam("acme/sre", ["carol"]);
    const number = await open(repo, PLANS);
    for (const user of ["bob", "carol"])
      await emu().submitReview(repo, number, { user, state: "APPROVED" });
    const head = emu().pull(repo, number).head.sha;
    const result = await run(
      repo,
      "workflow_run",
      emu().workflowRunPayload(repo, { headSha: head, pullNumbers: [number] }),
    );
    expect(result.code, shown(result)).toBe(1);
    const check = expectPublishedByActions(repo, number);
    expect(check.conclusion).toBe("failure");
    const said = [check.output.title, check.output.summary, check.output.text].join("\n");
    expect(said).toContain("acme/sre");
    // docs/action.md (limits): GITHUB_TOKEN cannot read team membership; the reason must say so.
    // carol is in acme/sre, but the token cannot see it: the gate fails closed, not open.
    expect(check.output.title).toBe("High risk — no approval from @acme/sre");
    expect(said).toMatch(/GITHUB\\?_TOKEN/);
    expect(said).toContain("read:org");
  });

  it("sarif: writes a SARIF 2.1.0 file of the findings and names it in sarif-file", async () => {
    const repo = seedRepo(stack());
    const number = await open(repo);
    const result = await run(repo, "pull_request_target", delivered("pull_request", "opened"), {
      sarif: "changegate.sarif",
    });
    expect(result.code, shown(result)).toBe(1);
    expect(result.outputs["sarif-file"]).toBe("changegate.sarif");
    const sarif = JSON.parse(result.files["sarif-file"] ?? "null") as SarifLog;
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toMatch(/sarif.*2\.1\.0/);
    const annotations = actionCheck(repo, number).run!.output.annotations;
    expect(sarifFindings(sarif)).toEqual(annotationFindings(annotations));
    expect(sarifFindings(sarif).map(([rule]) => rule)).toEqual([
      "lb.health-check.detection-too-fast",
      "lb.stickiness.duration-cut",
    ]);
    expect(sarif.runs[0]!.tool.driver.name).toMatch(/changegate/i);
  });

  it("comment: off writes the check run and no comment", async () => {
    const repo = seedRepo(stack());
    const number = await open(repo);
    const result = await run(repo, "pull_request_target", delivered("pull_request", "opened"), {
      comment: "off",
    });
    expect(result.code, shown(result)).toBe(1);
    expect(expectPublishedByActions(repo, number, false).conclusion).toBe("failure");
    expect(emu().comments(repo, number)).toEqual([]);
  });

  it("fail-on: medium fails the job on a change that passes the gates", async () => {
    const repo = seedWithPolicy(
      stack(),
      "requirements:\n  high: { approvals: 0, testPlan: false, rollbackPlan: false }\n",
    );
    const number = await open(repo);
    const payload = delivered("pull_request", "opened");
    const passing = await run(repo, "pull_request_target", payload);
    expect(passing.code, shown(passing)).toBe(0);
    expect(passing.outputs).toMatchObject({ risk: "high", conclusion: "success" });
    const strict = await run(repo, "pull_request_target", payload, { "fail-on": "medium" });
    expect(strict.code, shown(strict)).toBe(1);
    expect(strict.outputs).toMatchObject({ risk: "high", conclusion: "success" });
    expect(commands(strict.stdout, "error").join("\n")).toContain("fail-on (medium)");
    // Below the threshold, fail-on does not fail the job.
    const lenient = await run(repo, "pull_request_target", payload, { "fail-on": "critical" });
    expect(lenient.code, shown(lenient)).toBe(0);
    // The check run follows the verdict alone.
    expect(expectPublishedByActions(repo, number).conclusion).toBe("success");
  });
});
