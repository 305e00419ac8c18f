/**
 * Unreadable content is not "no change" (issue 10, item 7): when a changed infrastructure file
 * cannot be read — GraphQL answers `object: null` or an error for it, the contents API 404s or
 * fails — the evaluation fails closed; it never analyses the file as unchanged (or as added or
 * removed). Through the real App and the emulator.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { GraphqlHandler } from "@changegate/github-emulator";
import { startLocalStack, type LocalStack } from "../../tools/demo/stack.js";
import { check, openPull, PLANS, seedRepo } from "./fixture.js";

let stack: LocalStack;
let realGraphql: GraphqlHandler | undefined;

beforeAll(async () => {
  stack = await startLocalStack();
  realGraphql = stack.github.graphqlHandler;
});
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  stack.github.clearFaults();
  stack.github.graphqlHandler = realGraphql;
  expect(stack.github.violations).toEqual([]);
});

const UNREADABLE = "Changegate cannot read a changed file: infra/lb.tf";

/**
 * GitHub's GraphQL answer with every `object(expression: "…:infra/lb.tf")` of the batch replaced:
 * `null` (no object), or null with an error at its path (GitHub could not produce it).
 */
function hideLbInGraphql(how: "null" | "error"): void {
  const real = realGraphql!;
  stack.github.graphqlHandler = async (request) => {
    const answer = await real(request);
    const variables = (request.body as { variables?: Record<string, unknown> }).variables ?? {};
    const data = (answer.body as { data?: { repository?: Record<string, unknown> } }).data;
    const errors: object[] = [];
    for (const [alias, value] of Object.entries(variables))
      if (typeof value === "string" && value.endsWith(":infra/lb.tf") && data?.repository) {
        data.repository[alias] = null;
        if (how === "error")
          errors.push({
            type: "INTERNAL",
            path: ["repository", alias],
            message: "Something went wrong while executing your query.",
          });
      }
    if (errors.length) (answer.body as { errors?: object[] }).errors = errors;
    return answer;
  };
}

const contentsOfLb = (status: number) =>
  stack.github.injectFault({
    method: "GET",
    path: /\/contents\/infra(\/|%2F)lb\.tf$/,
    status,
    times: Infinity,
  });

const failGraphql = () =>
  stack.github.injectFault({ operationId: "graphql", status: 502, times: Infinity });

describe("a changed infrastructure file that cannot be read fails the check", () => {
  it("GraphQL answers object: null for it", async () => {
    const repo = seedRepo(stack);
    hideLbInGraphql("null");
    const number = await openPull(stack, repo, PLANS);
    const { run } = check(stack, repo, number);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.title).toBe(UNREADABLE);
  });

  it("GraphQL answers an error for it and the contents API 404s", async () => {
    const repo = seedRepo(stack);
    hideLbInGraphql("error");
    contentsOfLb(404);
    const number = await openPull(stack, repo, PLANS);
    const { run } = check(stack, repo, number);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.title).toBe(UNREADABLE);
  });

  it("over REST alone, the contents API 404s for it", async () => {
    const repo = seedRepo(stack);
    failGraphql();
    contentsOfLb(404);
    const number = await openPull(stack, repo, PLANS);
    const { run } = check(stack, repo, number);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.title).toBe(UNREADABLE);
  });

  it("over REST alone, the contents API keeps failing (5xx) for it", async () => {
    const repo = seedRepo(stack);
    failGraphql();
    contentsOfLb(502);
    const number = await openPull(stack, repo, PLANS);
    const { run } = check(stack, repo, number);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.summary).toContain("GitHub API answered 502");
  });

  it("a removed file is read at the merge base only, and a file absent there is not required", async () => {
    const repo = seedRepo(stack, { "infra/lb.tf": null, "infra/new.tf": 'variable "x" {}\n' });
    const number = await openPull(stack, repo, PLANS);
    const { run } = check(stack, repo, number);
    expect(run!.output.title).not.toMatch(/cannot read|could not evaluate/);
  });
});
