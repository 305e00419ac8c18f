import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { graphqlAs } from "./helpers.js";

let github: Emulator;
let number: number;
let first: string;

beforeAll(async () => {
  github = await startEmulator();
  github.createRepo("acme/web", {
    ownerType: "Organization",
    files: { "lb.tf": "a = 1\n", "k8s/web.yaml": "kind: Deployment\n", "README.md": "# web\n" },
  });
  github.addCollaborator("acme/web", "bob", "maintain");
  github.addUser("renovate[bot]", { type: "Bot" });
  github.addTeam("acme/sre", { carol: "maintainer", dave: "member" });
  github.setRuleset("acme/web", { requiredChecks: ["lint"] });
  github.setRequiredChecks("acme/web", "main", ["Changegate"]);
  first = github.commit("acme/web", "change", { "lb.tf": "a = 2\n" }, "alice");
  github.commit(
    "acme/web",
    "change",
    { "k8s/web.yaml": null, "k8s/app.yaml": "kind: Deployment\n" },
    "renovate[bot]",
  );
  ({ number } = await github.openPullRequest("acme/web", {
    head: "change",
    author: "alice",
    body: "## Test plan\nOPS-1",
  }));
  await github.submitReview("acme/web", number, {
    user: "bob",
    state: "APPROVED",
    commitId: first,
  });
  await github.addLabel("acme/web", number, "urgent", "renovate[bot]");
  await github.comment("acme/web", number, "hello", "bob");
});
afterAll(async () => {
  await github?.close();
});
afterEach(() => {
  github.reset();
});

/** Walks a GraphQL answer by path. */
const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | null)?.[key], value);

const query = (text: string, variables: Record<string, unknown> = {}) =>
  graphqlAs(github, "bob", text, variables);

describe("the emulator's GraphQL endpoint", () => {
  it("answers a pull request over the same state as REST", async () => {
    const { data, errors } = await query(
      `query($n: Int!) { repository(owner: "acme", name: "web") {
        pullRequest(number: $n) {
          state isDraft author { __typename login } baseRefOid headRefOid
          files(first: 10) { totalCount nodes { path changeType } }
          reviews(first: 10) { nodes { state author { login } commit { oid } } }
          commits(first: 10) { nodes { commit { author { user { login } } parents(first: 2) { nodes { oid } } } } }
          labels(first: 10) { nodes { name } }
          timelineItems(first: 10, itemTypes: [LABELED_EVENT, ISSUE_COMMENT]) {
            nodes { __typename ... on LabeledEvent { actor { __typename login } label { name } } ... on IssueComment { body } }
          }
          baseRef { refUpdateRule { requiredStatusCheckContexts }
            rules(first: 5) { nodes { type parameters { ... on RequiredStatusChecksParameters { requiredStatusChecks { context } } } } } }
        }
        collaborators(first: 10) { edges { permission node { login } } }
      } }`,
      { n: number },
    );
    expect(errors).toBeUndefined();
    const pull = at(data, "repository", "pullRequest");
    const rest = github.pull("acme/web", number);
    expect(pull).toMatchObject({
      state: "OPEN",
      isDraft: false,
      author: { __typename: "User", login: "alice" },
      baseRefOid: rest.base.sha,
      headRefOid: rest.head.sha,
      files: {
        totalCount: 2,
        nodes: [
          { path: "k8s/app.yaml", changeType: "RENAMED" },
          { path: "lb.tf", changeType: "MODIFIED" },
        ],
      },
      reviews: { nodes: [{ state: "APPROVED", author: { login: "bob" }, commit: { oid: first } }] },
      labels: { nodes: [{ name: "urgent" }] },
      baseRef: {
        refUpdateRule: { requiredStatusCheckContexts: ["Changegate"] },
        rules: {
          nodes: [
            {
              type: "REQUIRED_STATUS_CHECKS",
              parameters: { requiredStatusChecks: [{ context: "lint" }] },
            },
          ],
        },
      },
    });
    // GitHub's GraphQL names an App's bot without `[bot]`, and a GitActor links only to Users.
    expect(at(pull, "timelineItems", "nodes")).toEqual([
      {
        __typename: "LabeledEvent",
        actor: { __typename: "Bot", login: "renovate" },
        label: { name: "urgent" },
      },
      { __typename: "IssueComment", body: "hello" },
    ]);
    expect(at(pull, "commits")).toMatchObject({
      nodes: [
        { commit: { author: { user: { login: "alice" } } } },
        { commit: { author: { user: null } } },
      ],
    });
    expect(at(data, "repository", "collaborators", "edges")).toEqual([
      { permission: "MAINTAIN", node: { login: "bob" } },
    ]);
    expect(github.violations).toEqual([]);
  });

  it("reads files by revision expression, and teams by slug", async () => {
    const { data } = await query(`{
      repository(owner: "acme", name: "web") {
        head: object(expression: "HEAD:lb.tf") { ... on Blob { text byteSize isBinary oid } }
        change: object(expression: "change:lb.tf") { ... on Blob { text } }
        missing: object(expression: "change:nope.tf") { ... on Blob { text } }
        dir: object(expression: "main:k8s") { __typename }
        ref(qualifiedName: "refs/heads/change") { target { ... on Commit { file(path: "k8s/app.yaml") { type object { ... on Blob { text } } } } } }
      }
      organization(login: "acme") { team(slug: "sre") { members(first: 10) { edges { role node { login } } } } }
    }`);
    expect(at(data, "repository")).toMatchObject({
      head: { text: "a = 1\n", byteSize: 6, isBinary: false },
      change: { text: "a = 2\n" },
      missing: null,
      dir: { __typename: "Tree" },
      ref: { target: { file: { type: "blob", object: { text: "kind: Deployment\n" } } } },
    });
    expect(at(data, "organization", "team", "members", "edges")).toEqual([
      { role: "MAINTAINER", node: { login: "carol" } },
      { role: "MEMBER", node: { login: "dave" } },
    ]);
    expect(github.violations).toEqual([]);
  });

  it("pages connections with cursors", async () => {
    const page = async (after: string | null) =>
      (
        await query(
          `query($n: Int!, $after: String) { repository(owner: "acme", name: "web") { pullRequest(number: $n) {
            files(first: 1, after: $after) { pageInfo { hasNextPage endCursor } nodes { path } } } } }`,
          { n: number, after },
        )
      ).data;
    const one = await page(null);
    const files = (answer: unknown) => at(answer, "repository", "pullRequest", "files");
    expect(at(files(one), "pageInfo", "hasNextPage")).toBe(true);
    const two = await page(at(files(one), "pageInfo", "endCursor") as string);
    expect(files(two)).toMatchObject({
      pageInfo: { hasNextPage: false },
      nodes: [{ path: "lb.tf" }],
    });
  });

  it("answers NOT_FOUND like GitHub, without a violation", async () => {
    const { status, data, errors } = await query(`{
      repository(owner: "acme", name: "nope") { name }
      organization(login: "alice") { login }
    }`);
    expect(status).toBe(200);
    expect(data).toEqual({ repository: null, organization: null });
    expect(errors?.map((error) => [error.type, error.path])).toEqual([
      ["NOT_FOUND", ["repository"]],
      ["NOT_FOUND", ["organization"]],
    ]);
    expect(github.violations).toEqual([]);
  });

  it("rejects a query GitHub's schema rejects, and records it", async () => {
    const { data, errors } = await query(
      `{ repository(owner: "acme", name: "web") { pullRequest(number: 1) { previousPath } } }`,
    );
    expect(data).toBeUndefined();
    expect(errors?.[0]?.message).toBe('Cannot query field "previousPath" on type "PullRequest".');
    expect(github.violations).toMatchObject([{ kind: "invalid-body", operationId: "graphql" }]);
  });

  it("records GitHub's pagination limits as violations", async () => {
    const { errors } =
      await query(`{ repository(owner: "acme", name: "web") { pullRequest(number: 1) {
      files { nodes { path } } reviews(first: 101) { nodes { state } } } } }`);
    expect(errors?.map((error) => error.type)).toEqual([
      "MISSING_PAGINATION_BOUNDARIES",
      "EXCESSIVE_PAGINATION",
    ]);
    expect(github.violations.map((violation) => violation.kind)).toEqual(["semantic", "semantic"]);
  });

  it("says which fields it does not implement instead of answering null", async () => {
    const { errors } = await query(`{ repository(owner: "acme", name: "web") { stargazerCount } }`);
    expect(errors?.[0]?.message).toBe("The emulator does not implement Repository.stargazerCount");
    expect(github.violations).toMatchObject([{ kind: "unimplemented" }]);
  });

  it("does not implement mutations", async () => {
    await query(`mutation { addStar(input: { starrableId: "x" }) { clientMutationId } }`);
    expect(github.violations).toMatchObject([{ kind: "unimplemented" }]);
  });

  it("counts GraphQL and REST reads between marks", async () => {
    const mark = github.mark();
    await query(`{ repository(owner: "acme", name: "web") { name } }`);
    await fetch(`${github.url}/repos/acme/web`, {
      headers: { authorization: `token ${github.userToken("bob")}` },
    });
    github.reset();
    await query(`{ repository(owner: "acme", name: "web") { name } }`);
    expect(github.since(mark).map((request) => request.operationId)).toEqual(["graphql"]);
    expect(github.mark()).toBe(mark + 3);
  });

  it("fails GraphQL requests on an injected fault", async () => {
    github.injectFault({ operationId: "graphql", status: 502 });
    expect((await query(`{ repository(owner: "acme", name: "web") { name } }`)).status).toBe(502);
    expect((await query(`{ repository(owner: "acme", name: "web") { name } }`)).status).toBe(200);
  });
});
