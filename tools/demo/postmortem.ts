import { readFileSync } from "node:fs";
import type { LocalStack } from "./stack.js";

export const DEMO_REPO = "acme/web";

/** The postmortem change, replayed through signed webhook deliveries. Each step reports the check. */
export interface DemoStep {
  readonly step: string;
  readonly conclusion: string | null;
  readonly title: string;
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
): Promise<{ steps: DemoStep[]; comment: string }> {
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

  const record = async (step: string, number: number): Promise<void> => {
    await stack.idle();
    const pull = github.pull(DEMO_REPO, number);
    const run = github
      .checkRuns(DEMO_REPO, pull.head.sha)
      .find((candidate) => candidate.name === "Changegate");
    const result = {
      step,
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
  await record("1. PR opened (no review, no test plan)", number);

  await github.submitReview(DEMO_REPO, number, { user: "alice", state: "APPROVED" });
  await record("2. The author approves their own PR", number);

  await github.editPullRequest(DEMO_REPO, number, { body: DESCRIPTION_WITH_PLANS }, "alice");
  await record("3. Test plan and rollback plan added", number);

  await github.submitReview(DEMO_REPO, number, { user: "bob", state: "APPROVED" });
  await github.submitReview(DEMO_REPO, number, { user: "carol", state: "APPROVED" });
  await record("4. Two writers approve", number);

  await github.push(
    DEMO_REPO,
    "lb-maintenance",
    { "infra/lb.tf": after.replace("interval            = 5", "interval            = 2") },
    "alice",
  );
  await record("5. A push changes the health check again", number);

  const comment = github
    .comments(DEMO_REPO, number)
    .find((candidate) => candidate.body.includes("<!-- changegate:sticky -->"));
  return { steps, comment: comment?.body ?? "(no comment)" };
}
