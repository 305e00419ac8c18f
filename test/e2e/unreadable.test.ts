/**
 * Unreadable content is not "no change" (issue 10, item 7): when a changed infrastructure file
 * cannot be read — GraphQL answers `object: null` or an error for it, the contents API 404s or
 * fails — the evaluation fails closed; it never analyses the file as unchanged (or as added or
 * removed). Through the real App and the emulator.
 */
import { describe, expect, it } from "vitest";
import { check, failGraphql, openPull, PLANS, seedRepo, useStack } from "./fixture.js";

const stack = useStack();

const FAILED_TITLE = "Changegate could not evaluate this pull request";
const UNREADABLE = "Changegate cannot read a changed file: infra/lb.tf";

/**
 * GitHub's GraphQL answer with every `object(expression: "…:infra/lb.tf")` of the batch replaced:
 * `null` (no object), or null with an error at its path (GitHub could not produce it).
 */
function hideLbInGraphql(how: "null" | "error"): void {
  const real = stack().github.graphqlHandler!;
  stack().github.graphqlHandler = async (request) => {
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
  stack().github.injectFault({
    method: "GET",
    path: /\/contents\/infra(\/|%2F)lb\.tf$/,
    status,
    times: Infinity,
  });

describe("a changed infrastructure file that cannot be read fails the check", () => {
  it("GraphQL answers object: null for it", async () => {
    const repo = seedRepo(stack());
    hideLbInGraphql("null");
    const number = await openPull(stack(), repo, PLANS);
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.title).toBe(UNREADABLE);
  });

  it("GraphQL answers an error for it and the contents API 404s", async () => {
    const repo = seedRepo(stack());
    hideLbInGraphql("error");
    contentsOfLb(404);
    const number = await openPull(stack(), repo, PLANS);
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.title).toBe(UNREADABLE);
  });

  it("over REST alone, the contents API 404s for it", async () => {
    const repo = seedRepo(stack());
    failGraphql(stack());
    contentsOfLb(404);
    const number = await openPull(stack(), repo, PLANS);
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.title).toBe(UNREADABLE);
  });

  it("over REST alone, the contents API keeps failing (5xx) for it", async () => {
    const repo = seedRepo(stack());
    failGraphql(stack());
    contentsOfLb(502);
    const number = await openPull(stack(), repo, PLANS);
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.title).toBe(FAILED_TITLE);
    expect(run!.output.summary).toContain("GitHub API answered 502");
  });

  it("a removed file is read at the merge base only, and a file absent there is not required", async () => {
    const repo = seedRepo(stack(), { "infra/lb.tf": null, "infra/new.tf": 'variable "x" {}\n' });
    const number = await openPull(stack(), repo, PLANS);
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({
      conclusion: "failure",
      output: { title: "High risk — 0 of 2 approvals" },
    });
    // Each file was asked for where it exists: the removed one at the merge base, the added one
    // at the head (GraphQL's `object(expression: "<commit>:<path>")`), never the other way round.
    const { base, head } = stack().github.pull(repo, number);
    const expressions = stack()
      .github.requests.filter((request) => request.operationId === "graphql")
      .flatMap((request) =>
        Object.values((request.body as { variables?: Record<string, unknown> }).variables ?? {}),
      )
      .filter((value): value is string => typeof value === "string" && /:infra\//.test(value));
    expect(new Set(expressions)).toEqual(
      new Set([`${base.sha}:infra/lb.tf`, `${head.sha}:infra/new.tf`]),
    );
  });
});
