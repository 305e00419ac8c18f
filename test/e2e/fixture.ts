import { readFileSync } from "node:fs";
import type { LocalStack } from "../../tools/demo/stack.js";

export const BEFORE = readFileSync(
  new URL("../../examples/postmortem/before.tf", import.meta.url),
  "utf8",
);
export const AFTER = readFileSync(
  new URL("../../examples/postmortem/after.tf", import.meta.url),
  "utf8",
);

export const PLANS = `Routine load-balancer maintenance.

## Test plan
Load-tested in staging: https://ci.acme.dev/runs/4821

## Rollback plan
Revert this pull request and apply.
`;

let counter = 0;

/**
 * A repository with the postmortem's base file and a branch `change` holding `files`, plus
 * writers bob and carol, maintainer mia, reader rita and admin ada. Returns the repo name.
 */
export function seedRepo(
  stack: LocalStack,
  files: Record<string, string | null> = { "infra/lb.tf": AFTER },
  base: Record<string, string> = {},
): string {
  const repo = `acme/web-${++counter}`;
  const { github } = stack;
  github.createRepo(repo, {
    ownerType: "Organization",
    files: { "infra/lb.tf": BEFORE, "README.md": "# web\n", ...base },
  });
  for (const [login, permission] of [
    ["alice", "write"],
    ["bob", "write"],
    ["carol", "write"],
    ["mia", "maintain"],
    ["rita", "read"],
    ["ada", "admin"],
  ] as const) {
    github.addCollaborator(repo, login, permission);
  }
  github.setRequiredChecks(repo, "main", ["Changegate"]);
  github.commit(repo, "change", files, { author: "alice", message: "Change the load balancer" });
  return repo;
}

export async function openPull(
  stack: LocalStack,
  repo: string,
  body = "Routine maintenance.",
): Promise<number> {
  const { number } = await stack.github.openPullRequest(repo, {
    head: "change",
    author: "alice",
    title: "LB maintenance",
    body,
  });
  await stack.idle();
  return number;
}

/** The Changegate check on the PR's current head. */
export function check(stack: LocalStack, repo: string, number: number) {
  const head = stack.github.pull(repo, number).head.sha;
  const runs = stack.github.checkRuns(repo, head).filter((run) => run.name === "Changegate");
  return { count: runs.length, run: runs[runs.length - 1] };
}

export function sticky(stack: LocalStack, repo: string, number: number) {
  return stack.github
    .comments(repo, number)
    .filter((comment) => comment.body.includes("<!-- changegate:sticky -->"));
}
