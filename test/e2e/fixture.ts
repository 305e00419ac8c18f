import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import type { GraphqlHandler } from "@changegate/github-emulator";
import { startLocalStack, type LocalStack, type StackOptions } from "../../tools/demo/stack.js";
import { captureLog, printLogOnFailure } from "./capture-log.js";

export const BEFORE = readFileSync(
  new URL("../../examples/postmortem/before.tf", import.meta.url),
  "utf8",
);
export const AFTER = readFileSync(
  new URL("../../examples/postmortem/after.tf", import.meta.url),
  "utf8",
);

/**
 * The postmortem change with the health check's timeout cut further (4 s → 2 s, still below the
 * 5 s interval, as AWS requires): what it does changes.
 */
export const RISKIER = AFTER.replace(/timeout(\s+)= 4/, "timeout$1= 2");

/** A git identity GitHub ties to no account. */
export const BUILD_BOX = { name: "Build Box", email: "build@box.invalid" };

export const PLANS = `Routine load-balancer maintenance.

## Test plan
Load-tested in staging: https://ci.acme.dev/runs/4821

## Rollback plan
Revert this pull request and apply.
`;

/**
 * The App's quiet time before the trailing evaluation of a burst in tests: a test waits for the
 * App with `idle()`, so the production second (coordination/settle.ts) would only slow it down.
 */
const TEST_SETTLE_MS = 20;

/**
 * Starts the real App and the GitHub emulator before the tests of the file (or of the `describe`
 * it is called in) and closes them after; returns a getter for the running stack. After each test
 * it waits for the App's queued work, asserts that every request the App sent was a real GitHub
 * route with a valid body (GitHub's OpenAPI description), and undoes what a test may have changed
 * on the stack (faults, a scripted GraphQL handler, the webhook target, recovery sweeps, the
 * request log), so that no test depends on another.
 */
export function useStack(options: StackOptions = {}): () => LocalStack {
  let stack: LocalStack | undefined;
  let graphql: GraphqlHandler | undefined;
  const current = (): LocalStack => {
    if (!stack) throw new Error("useStack(): the stack runs from beforeAll to afterAll");
    return stack;
  };
  // What the App logs is kept, not printed (a test passes its own `log` to read it); a failing
  // test prints it.
  const captured = options.log ? undefined : captureLog(options.logLevel);
  if (captured) printLogOnFailure(captured);
  beforeAll(async () => {
    stack = await startLocalStack({
      settleMs: TEST_SETTLE_MS,
      ...options,
      ...(captured ? { log: captured.log } : {}),
    });
    graphql = stack.github.graphqlHandler;
  });
  afterAll(async () => {
    await stack?.close();
    stack = undefined;
  });
  afterEach(async () => {
    const { app, github, appUrl } = current();
    app.startRecovery(false);
    github.clearFaults();
    github.graphqlHandler = graphql;
    if (options.webhookTarget !== false) github.setWebhookTarget(appUrl);
    await current().idle();
    const violations = [...github.violations];
    github.reset();
    expect(violations).toEqual([]);
  });
  return current;
}

/** Fails the file if anything rejects unhandled while its tests run (the App must handle all). */
export function failOnUnhandledRejections(): void {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on("unhandledRejection", onUnhandled);
  afterAll(() => {
    process.off("unhandledRejection", onUnhandled);
    expect(unhandled).toEqual([]);
  });
}

let counter = 0;

/**
 * A repository of `owner` (default acme) with the postmortem's base file and a branch `change`
 * holding `files`, plus writers alice, bob and carol, maintainer mia, reader rita and admin ada.
 * Returns the repo name. Owner-wide files (an owner's `.github` repository) affect every
 * repository of that owner: a test that makes them uses an owner of its own.
 */
export function seedRepo(
  stack: LocalStack,
  files: Record<string, string | null> = { "infra/lb.tf": AFTER },
  base: Record<string, string> = {},
  { owner = "acme" }: { owner?: string } = {},
): string {
  const repo = `${owner}/web-${++counter}`;
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

/** `seedRepo` with the postmortem change and `policy` as the base branch's .github/changegate.yml. */
export function seedWithPolicy(stack: LocalStack, policy: string): string {
  return seedRepo(stack, { "infra/lb.tf": AFTER }, { ".github/changegate.yml": policy });
}

/** alice opens a pull request from `change` into main; waits for the App. Returns its number. */
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

/** Approves the PR as each of `users`, then waits for the App. */
export async function approve(
  stack: LocalStack,
  repo: string,
  number: number,
  ...users: string[]
): Promise<void> {
  for (const user of users)
    await stack.github.submitReview(repo, number, { user, state: "APPROVED" });
  await stack.idle();
}

/** GraphQL answers 502 until the test ends: the App loads the pull request over REST. */
export function failGraphql(stack: LocalStack): void {
  stack.github.injectFault({ operationId: "graphql", status: 502, times: Infinity });
}

/**
 * Each loader, for `describe.each`: GraphQL, and the REST loader the App falls back to when
 * GraphQL fails (`setUp` in a `beforeEach`; useStack clears the fault after each test).
 */
export function loaders(stack: () => LocalStack) {
  return [
    { via: "GraphQL", setUp: (): void => undefined },
    { via: "the REST fallback", setUp: (): void => failGraphql(stack()) },
  ] as const;
}

/** A signed delivery of `event` to the App's installation on `owner`, sent by `sender`. */
export async function deliverEvent(
  stack: LocalStack,
  event: string,
  owner: string,
  payload: Record<string, unknown>,
  sender = "ada",
): Promise<void> {
  const installation = { id: stack.github.addInstallation(owner) };
  await stack.github.deliver(event, {
    ...payload,
    installation,
    sender: { login: sender, type: "User" },
  });
  await stack.idle();
}

/** The `repository` object of a delivery about `repo`. */
export function repository(repo: string) {
  const [owner, name] = repo.split("/") as [string, string];
  return { name, full_name: repo, owner: { login: owner, type: "Organization" } };
}

/**
 * An HAProxy backend of `count` servers whose health check moves from `fall 3` (base) to
 * `fall 1` (head): one finding per server. `pad` lengthens each server's name.
 */
export function haproxyChange(
  count: number,
  pad = 0,
): { base: Record<string, string>; head: Record<string, string> } {
  const cfg = (fall: number) => {
    const servers = Array.from(
      { length: count },
      (_, i) =>
        `  server s${i}${"x".repeat(pad)} 10.1.${Math.floor(i / 250)}.${i % 250}:80 check inter 10s fall ${fall}`,
    );
    return `backend app\n  balance roundrobin\n${servers.join("\n")}\n`;
  };
  return { base: { "lb/haproxy.cfg": cfg(3) }, head: { "lb/haproxy.cfg": cfg(1) } };
}

/** The Changegate check on the PR's current head. */
export function check(stack: LocalStack, repo: string, number: number) {
  const head = stack.github.pull(repo, number).head.sha;
  const runs = stack.github.checkRuns(repo, head).filter((run) => run.name === "Changegate");
  return { count: runs.length, run: runs[runs.length - 1] };
}

/** The comments that carry Changegate's sticky marker, whoever wrote them. */
export function sticky(stack: LocalStack, repo: string, number: number) {
  return stack.github
    .comments(repo, number)
    .filter((comment) => comment.body.includes("<!-- changegate:sticky -->"));
}

/** The post-change review issues opened for a pull request (after an emergency merge). */
export function followUpIssues(stack: LocalStack, repo: string, number: number) {
  return stack.github
    .issues(repo)
    .filter((issue) => issue.title === `Post-change review for #${number}`);
}

/** `pusher` pushes RISKIER to the pull request's branch, committed as BUILD_BOX (no account). */
export async function pushUnlinked(stack: LocalStack, repo: string, pusher: string): Promise<void> {
  await stack.github.push(
    repo,
    "change",
    { "infra/lb.tf": RISKIER },
    { author: BUILD_BOX },
    { pusher },
  );
}
