// Issue comments' edit history over GraphQL (`editor`, `lastEditedAt`, `userContentEdits`) and
// `node(id)`: what `changegate audit` reads to refuse a record someone else edited (docs/audit.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { graphqlAs, installationOctokit } from "./helpers.js";

let github: Emulator;
let number: number;

beforeAll(async () => {
  github = await startEmulator({ validateResponses: true });
  github.createRepo("acme/web", { ownerType: "Organization", files: { "lb.tf": "a = 1\n" } });
  github.addCollaborator("acme/web", "mallory", "write");
  github.commit("acme/web", "change", { "lb.tf": "a = 2\n" }, "alice");
  ({ number } = await github.openPullRequest("acme/web", { head: "change", author: "alice" }));
});
afterAll(async () => {
  await github?.close();
});

const EDITS = `editor { __typename login } lastEditedAt
  userContentEdits(first: 100) { totalCount nodes { editedAt editor { __typename login } } }`;

const query = (text: string, variables: Record<string, unknown> = {}) =>
  graphqlAs(github, "alice", text, variables);

async function commentsOf(n: number) {
  const { data, errors } = await query(
    `query($n: Int!) { repository(owner: "acme", name: "web") { pullRequest(number: $n) {
      comments(first: 10) { nodes { id databaseId body author { __typename login } ${EDITS} } } } } }`,
    { n },
  );
  expect(errors).toBeUndefined();
  return (
    data as {
      repository: { pullRequest: { comments: { nodes: Record<string, unknown>[] } } };
    }
  ).repository.pullRequest.comments.nodes;
}

describe("an issue comment's edit history", () => {
  it("is empty until the body changes, then lists each editor newest first and the original", async () => {
    const octokit = await installationOctokit(github);
    const { data: created } = await octokit.rest.issues.createComment({
      owner: "acme",
      repo: "web",
      issue_number: number,
      body: "record v1",
    });
    let [comment] = await commentsOf(number);
    expect(comment).toMatchObject({
      author: { __typename: "Bot", login: "changegate" },
      editor: null,
      lastEditedAt: null,
      userContentEdits: { totalCount: 0, nodes: [] },
    });

    // The App edits its comment (REST), then mallory edits it (as a webhook-delivering activity).
    await octokit.rest.issues.updateComment({
      owner: "acme",
      repo: "web",
      comment_id: created.id,
      body: "record v2",
    });
    // The same body again is no edit.
    await octokit.rest.issues.updateComment({
      owner: "acme",
      repo: "web",
      comment_id: created.id,
      body: "record v2",
    });
    await github.editComment("acme/web", created.id, "record v3", "mallory");
    [comment] = await commentsOf(number);
    const edits = (comment!.userContentEdits as { nodes: { editedAt: string; editor: unknown }[] })
      .nodes;
    expect(comment!.editor).toEqual({ __typename: "User", login: "mallory" });
    expect(comment!.lastEditedAt).toBe(edits[0]!.editedAt);
    expect(edits.map((edit) => edit.editor)).toEqual([
      { __typename: "User", login: "mallory" },
      { __typename: "Bot", login: "changegate" },
      { __typename: "Bot", login: "changegate" },
    ]);
    expect(edits[0]!.editedAt > edits[1]!.editedAt).toBe(true);
    expect(edits[2]!.editedAt).toBe(github.comments("acme/web", number)[0]!.createdAt);
    expect(github.violations).toEqual([]);
  });

  it("pages through node(id), and an unknown id is NOT_FOUND", async () => {
    // A comment of its own, edited twice (three entries with the original), so that this test
    // does not depend on the first one.
    const octokit = await installationOctokit(github);
    const where = { owner: "acme", repo: "web" };
    const { data: created } = await octokit.rest.issues.createComment({
      ...where,
      issue_number: number,
      body: "paged v1",
    });
    await octokit.rest.issues.updateComment({ ...where, comment_id: created.id, body: "paged v2" });
    await github.editComment("acme/web", created.id, "paged v3", "mallory");
    const comment = { id: created.node_id };
    const page = (after: string | null) =>
      query(
        `query($id: ID!, $after: String) { node(id: $id) { __typename ... on IssueComment {
          databaseId userContentEdits(first: 2, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } nodes { editor { login } } } } } }`,
        { id: comment!.id, after },
      );
    const first = (await page(null)).data as {
      node: {
        __typename: string;
        userContentEdits: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          nodes: { editor: { login: string } }[];
        };
      };
    };
    expect(first.node.__typename).toBe("IssueComment");
    expect(first.node.userContentEdits.totalCount).toBe(3);
    expect(first.node.userContentEdits.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first.node.userContentEdits.pageInfo.endCursor))
      .data as typeof first;
    expect(second.node.userContentEdits.nodes.map((n) => n.editor.login)).toEqual(["changegate"]);
    expect(second.node.userContentEdits.pageInfo.hasNextPage).toBe(false);

    const missing = await query(`query { node(id: "MDEyOklzc3VlQ29tbWVudDk5OTk5") { id } }`);
    expect(missing.data).toEqual({ node: null });
    expect(missing.errors).toMatchObject([{ type: "NOT_FOUND" }]);
    expect(github.violations).toEqual([]);
  });
});
