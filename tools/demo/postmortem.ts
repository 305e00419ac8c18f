import { readFileSync } from "node:fs";
import { textHunks } from "../../src/diff/hunks.js";
import type { LocalStack } from "./stack.js";

export const DEMO_REPO = "acme/web";

/** The postmortem change, replayed through signed webhook deliveries. Each step reports the check. */
export interface DemoStep {
  readonly step: string;
  /** What the step did on GitHub, in one line. */
  readonly action: string;
  /** The file change the step pushed, as a unified diff (absent when it pushed nothing). */
  readonly diff?: string;
  readonly conclusion: string | null;
  readonly title: string;
}

/** The Changegate check run on the pull request's head after the last step. */
export interface DemoCheckRun {
  readonly conclusion: string | null;
  readonly title: string;
  readonly summary: string;
  readonly text: string;
}

/** A unified diff of one file (one line of context), as `git diff` prints it. */
export function unifiedDiff(path: string, before: string, after: string): string {
  const lines = [`--- a/${path}`, `+++ b/${path}`];
  for (const hunk of textHunks(before, after, 1)) {
    lines.push(
      `@@ -${hunk.beforeStart},${hunk.beforeLines} +${hunk.afterStart},${hunk.afterLines} @@`,
      ...hunk.lines,
    );
  }
  return lines.join("\n");
}

const example = (name: string): string =>
  readFileSync(new URL(`../../examples/postmortem/${name}`, import.meta.url), "utf8");

const DESCRIPTION_WITH_PLANS = `Routine maintenance update to the public ALB.

## Test plan
Load-tested in staging with the new health-check settings: https://ci.example.org/runs/4821 (OPS-42)

## Rollback plan
Revert this pull request and re-apply; the previous target group settings come back with the next apply.
`;

export async function runPostmortemDemo(
  stack: LocalStack,
  onStep: (step: DemoStep) => void = () => undefined,
): Promise<{ steps: DemoStep[]; comment: string; checkRun: DemoCheckRun }> {
  const { github } = stack;
  const steps: DemoStep[] = [];
  const before = example("before.tf");
  const after = example("after.tf");

  github.createRepo(DEMO_REPO, {
    ownerType: "Organization",
    files: { "infra/lb.tf": before, "README.md": "# web\n" },
  });
  for (const [login, permission] of [
    ["alice", "write"],
    ["bob", "write"],
    ["carol", "maintain"],
  ] as const) {
    github.addCollaborator(DEMO_REPO, login, permission);
  }
  github.setRequiredChecks(DEMO_REPO, "main", ["Changegate"]);
  github.commit(
    DEMO_REPO,
    "lb-maintenance",
    { "infra/lb.tf": after },
    { author: "alice", message: "Routine LB maintenance" },
  );

  const headRun = (number: number) => {
    const pull = github.pull(DEMO_REPO, number);
    return github
      .checkRuns(DEMO_REPO, pull.head.sha)
      .find((candidate) => candidate.name === "Changegate");
  };
  const record = async (
    step: string,
    number: number,
    action: string,
    diff?: string,
  ): Promise<void> => {
    await stack.idle();
    const run = headRun(number);
    const result: DemoStep = {
      step,
      action,
      ...(diff ? { diff } : {}),
      conclusion: run?.conclusion ?? null,
      title: run?.output.title ?? "(no check run)",
    };
    steps.push(result);
    onStep(result);
  };

  const { number } = await github.openPullRequest(DEMO_REPO, {
    head: "lb-maintenance",
    author: "alice",
    title: "Routine maintenance update to the load balancer",
    body: "Routine maintenance update to the public ALB.",
  });
  await record(
    "1. PR opened (no review, no test plan)",
    number,
    `alice opens #${number} "Routine maintenance update to the load balancer", which changes:`,
    unifiedDiff("infra/lb.tf", before, after),
  );

  await github.submitReview(DEMO_REPO, number, { user: "alice", state: "APPROVED" });
  await record(
    "2. The author approves their own PR",
    number,
    "alice approves her own pull request",
  );

  await github.editPullRequest(DEMO_REPO, number, { body: DESCRIPTION_WITH_PLANS }, "alice");
  await record(
    "3. Test plan and rollback plan added",
    number,
    'alice adds a "Test plan" (a CI run, OPS-42) and a "Rollback plan" section to the description',
  );

  await github.submitReview(DEMO_REPO, number, { user: "bob", state: "APPROVED" });
  await github.submitReview(DEMO_REPO, number, { user: "carol", state: "APPROVED" });
  await record("4. Two writers approve", number, "bob (write) and carol (maintain) approve");

  // The health-check timeout cut further: 4 s → 2 s, still below the 5 s interval as AWS requires.
  const pushed = after.replace("timeout             = 4", "timeout             = 2");
  if (pushed === after) throw new Error("examples/postmortem/after.tf: no `timeout = 4` to change");
  await github.push(DEMO_REPO, "lb-maintenance", { "infra/lb.tf": pushed }, "alice");
  await record(
    "5. A push changes the health check again",
    number,
    "alice pushes one more commit:",
    unifiedDiff("infra/lb.tf", after, pushed),
  );

  const comment = github
    .comments(DEMO_REPO, number)
    .find((candidate) => candidate.body.includes("<!-- changegate:sticky -->"));
  const run = headRun(number);
  return {
    steps,
    comment: comment?.body ?? "(no comment)",
    checkRun: {
      conclusion: run?.conclusion ?? null,
      title: run?.output.title ?? "(no check run)",
      summary: run?.output.summary ?? "",
      text: run?.output.text ?? "",
    },
  };
}
