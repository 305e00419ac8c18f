import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readInputs } from "../../src/action/inputs.js";
import { planFor } from "../../src/action/plan.js";
import {
  annotationCommands,
  outputLines,
  RunnerFiles,
  summaryMarkdown,
  workflowCommand,
} from "../../src/action/runner.js";
import type { CheckRunOutput } from "../../src/render/check-run.js";

const env = (inputs: Record<string, string>): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));

describe("inputs", () => {
  it("reads the runner's INPUT_ variables, hyphens kept, with action.yml's defaults", () => {
    expect(readInputs(env({ "github-token": " t0k " }))).toEqual({
      token: "t0k",
      config: ".github/changegate.yml",
      failOn: undefined,
      comment: true,
      sarif: undefined,
      botLogin: "github-actions[bot]",
      stateKey: undefined,
    });
    const all = readInputs(
      env({
        "github-token": "t",
        config: "ops/gate.yml",
        "fail-on": "high",
        comment: "off",
        sarif: "out.sarif",
        "bot-login": "acme-gate[bot]",
        "state-key": "k",
      }),
    );
    expect(all).toMatchObject({
      config: "ops/gate.yml",
      failOn: "high",
      comment: false,
      sarif: "out.sarif",
      botLogin: "acme-gate[bot]",
      stateKey: "k",
    });
  });

  it.each([
    [{}, "input github-token is empty"],
    [{ "github-token": "t", "fail-on": "severe" }, 'input fail-on must be one of low, medium, high, critical (got "severe")'],
    [{ "github-token": "t", "fail-on": "none" }, "input fail-on must be one of"],
    [{ "github-token": "t", comment: "maybe" }, 'input comment must be on or off (got "maybe")'],
    [{ "github-token": "t", config: "../other/policy.yml" }, "input config must be a path inside the repository"],
    [{ "github-token": "t", config: "/etc/passwd" }, "input config must be a path inside the repository"],
    [{ "github-token": "t", "bot-login": "evil bot" }, "input bot-login must be an account login"],
  ])("refuses %j in one line", (inputs, message) => {
    expect(() => readInputs(env(inputs))).toThrow(message);
    try {
      readInputs(env(inputs));
    } catch (error) {
      expect(String((error as Error).message)).not.toContain("\n");
    }
  });
});

describe("plan", () => {
  const repository = { name: "web", owner: { login: "acme" } };
  const pull = { number: 7, merged: false, head: { sha: "h1" } };
  const never = (): boolean => false;

  it("gates on pull_request_target with the pull_request mapping (pushers from the sender)", () => {
    const plan = planFor(
      "pull_request_target",
      { action: "synchronize", before: "h0", sender: { login: "alice" }, repository, pull_request: pull },
      never,
    );
    expect(plan).toEqual({
      kind: "work",
      work: [
        {
          kind: "evaluate",
          locator: { owner: "acme", repo: "web", number: 7 },
          request: {
            reason: "pull_request.synchronize",
            headSha: "h1",
            pushers: [{ login: "alice", headSha: "h1", before: "h0" }],
          },
        },
      ],
    });
  });

  it("only relays a review: the pull request's own workflow copy decides nothing", () => {
    const plan = planFor(
      "pull_request_review",
      { action: "submitted", repository, pull_request: pull },
      never,
    );
    expect(plan.kind).toBe("relay");
  });

  it.each(["pull_request", "pull_request_review_comment", "workflow_dispatch", "push", ""])(
    "refuses %j: its workflow can be the change's own",
    (name) => {
      const plan = planFor(name, { action: "opened", repository, pull_request: pull }, never);
      expect(plan.kind).toBe("refuse");
      if (plan.kind === "refuse") expect(plan.message).toContain("docs/action.md");
    },
  );

  it("evaluates a workflow_run's pull requests, or the open ones at its head (forks list none)", () => {
    const listed = planFor(
      "workflow_run",
      {
        action: "completed",
        repository,
        workflow_run: { head_sha: "h1", name: "Changegate review", event: "pull_request_review", pull_requests: [{ number: 7 }] },
      },
      never,
    );
    expect(listed).toMatchObject({ kind: "work", work: [{ kind: "evaluate", locator: { number: 7 } }] });
    const fork = planFor(
      "workflow_run",
      { action: "completed", repository, workflow_run: { head_sha: "h1", pull_requests: [] } },
      never,
    );
    expect(fork).toMatchObject({ kind: "work", work: [{ kind: "evaluate-head", headSha: "h1" }] });
  });

  it("evaluates a repository_dispatch of type changegate, its pull numbers only", () => {
    const plan = planFor(
      "repository_dispatch",
      { action: "changegate", repository, client_payload: { pull_number: 7, pull_numbers: [7, 8, "9", -1] } },
      never,
    );
    expect(plan).toMatchObject({
      kind: "work",
      work: [{ locator: { number: 7 } }, { locator: { number: 8 } }],
    });
    expect(plan.kind === "work" && plan.work.length).toBe(2);
    const other = planFor("repository_dispatch", { action: "deploy", repository, client_payload: { pull_number: 7 } }, never);
    expect(other).toEqual({ kind: "work", work: [] });
  });

  it("ignores the gate's own comment edits", () => {
    const payload = {
      action: "edited",
      repository,
      sender: { login: "github-actions[bot]", type: "Bot" },
      issue: { number: 7, pull_request: {} },
      comment: { id: 1, body: "<!-- changegate:sticky -->", user: { login: "github-actions[bot]", type: "Bot" } },
      changes: { body: { from: "<!-- changegate:sticky -->" } },
    };
    expect(planFor("issue_comment", payload, (s) => s?.login === "github-actions[bot]")).toEqual({ kind: "work", work: [] });
    expect(planFor("issue_comment", { ...payload, sender: { login: "bob", type: "User" } }, (s) => s?.login === "github-actions[bot]")).toMatchObject({
      kind: "work",
      work: [{ kind: "evaluate", request: { reason: "checklist edited" } }],
    });
  });
});

describe("runner", () => {
  it("escapes workflow-command data and properties as the runner decodes them", () => {
    expect(workflowCommand("error", "50% done\r\nnext")).toBe("::error::50%25 done%0D%0Anext");
    expect(
      workflowCommand("warning", "m", { file: "a,b:c.tf", line: 3, title: "high: x\ny" }),
    ).toBe("::warning file=a%2Cb%3Ac.tf,line=3,title=high%3A x%0Ay::m");
  });

  it("turns check-run annotations into error, warning and notice commands", () => {
    const lines = annotationCommands([
      { path: "lb.tf", start_line: 4, end_line: 4, annotation_level: "failure", title: "high: r", message: "ejects" },
      { path: "lb.tf", start_line: 5, end_line: 6, annotation_level: "warning", title: "medium: r", message: "w" },
      { path: "lb.tf", start_line: 1, end_line: 1, annotation_level: "notice", title: "low: r", message: "n" },
    ]);
    expect(lines).toEqual([
      "::error file=lb.tf,line=4,endLine=4,title=high%3A r::ejects",
      "::warning file=lb.tf,line=5,endLine=6,title=medium%3A r::w",
      "::notice file=lb.tf,line=1,endLine=1,title=low%3A r::n",
    ]);
  });

  it("writes outputs with a delimiter no value contains, and appends the summary", () => {
    const text = outputLines({ risk: "high", "sarif-file": "a\nb" });
    const match = /^risk<<(ghadelimiter_[0-9a-f-]+)\nhigh\n\1\nsarif-file<<(ghadelimiter_[0-9a-f-]+)\na\nb\n\2\n$/.exec(text);
    expect(match).not.toBeNull();
    const dir = mkdtempSync(join(tmpdir(), "changegate-runner-"));
    const files = new RunnerFiles({ GITHUB_OUTPUT: join(dir, "out"), GITHUB_STEP_SUMMARY: join(dir, "sum") });
    files.setOutputs({ conclusion: "failure" });
    files.addSummary("# one");
    files.addSummary("# two\n");
    expect(readFileSync(join(dir, "out"), "utf8")).toMatch(/^conclusion<<ghadelimiter_.*\nfailure\n/);
    expect(readFileSync(join(dir, "sum"), "utf8")).toBe("# one\n# two\n");
    // A local run (no runner files) writes nothing and does not fail.
    expect(() => new RunnerFiles({}).setOutputs({ risk: "low" })).not.toThrow();
  });

  it("puts the check run's title, summary and text in the job summary", () => {
    const output: CheckRunOutput = {
      conclusion: "failure",
      title: "High risk: 2 of 3 gates unmet",
      summary: "gates",
      text: "### Findings",
      annotations: [],
    };
    expect(summaryMarkdown([{ heading: "Changegate #7", output }])).toBe(
      "## Changegate #7: High risk: 2 of 3 gates unmet\n\ngates\n\n### Findings\n",
    );
  });
});
