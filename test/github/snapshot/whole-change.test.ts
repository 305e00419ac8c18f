/**
 * Both loaders see the whole change alike (issue 10, items 1 and 6): a rename judged by both
 * names, commits past GraphQL's first page, and the limits past which the load fails closed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IncompleteSnapshot } from "../../../src/github/snapshot/index.js";
import { load, useEmulator } from "./helpers.js";

const BEFORE = readFileSync(
  new URL("../../../examples/postmortem/before.tf", import.meta.url),
  "utf8",
);

const github = useEmulator();
let counter = 0;

async function pull(
  base: Record<string, string>,
  commits: Record<string, string | null>[],
): Promise<{ repo: string; number: number }> {
  const repo = `acme/whole-${++counter}`;
  github().createRepo(repo, { ownerType: "Organization", files: base });
  github().addCollaborator(repo, "alice", "write");
  for (const [i, files] of commits.entries())
    github().commit(repo, "change", files, { author: "alice", message: `Commit ${i}` });
  const { number } = await github().openPullRequest(repo, { head: "change", author: "alice" });
  return { repo, number };
}

async function bothLoaders(repo: string, number: number) {
  const graphql = (await load(github(), repo, number, "graphql")).loaded.snapshot;
  const rest = (await load(github(), repo, number, "rest")).loaded.snapshot;
  expect(graphql).toEqual(rest);
  return graphql;
}

const files = (snapshot: { files: readonly { path: string; status: string }[] }) =>
  snapshot.files.map((file) => `${file.path}:${file.status}`);

describe("both loaders judge a rename by both of its names", () => {
  it("renamed away from infrastructure: the old file removed, the new name not infrastructure", async () => {
    const { repo, number } = await pull({ "infra/lb.tf": BEFORE }, [
      { "infra/lb.tf": null, "infra/lb.tf.bak": BEFORE },
    ]);
    const snapshot = await bothLoaders(repo, number);
    expect(files(snapshot)).toEqual(["infra/lb.tf:removed"]);
    expect(snapshot.files[0]).toMatchObject({ before: BEFORE, after: null });
    expect(snapshot.otherFiles).toEqual(["infra/lb.tf.bak"]);
  });

  it("moved under a path the policy excludes: the old file removed", async () => {
    const { repo, number } = await pull(
      { "infra/lb.tf": BEFORE, ".github/changegate.yml": "files:\n  exclude: [vendor/**]\n" },
      [{ "infra/lb.tf": null, "vendor/lb.tf": BEFORE }],
    );
    expect(files(await bothLoaders(repo, number))).toEqual(["infra/lb.tf:removed"]);
  });

  it("renamed into infrastructure: the new file added", async () => {
    const { repo, number } = await pull({ "infra/lb.tf.off": BEFORE }, [
      { "infra/lb.tf.off": null, "infra/lb.tf": BEFORE },
    ]);
    const snapshot = await bothLoaders(repo, number);
    expect(files(snapshot)).toEqual(["infra/lb.tf:added"]);
    expect(snapshot.files[0]).toMatchObject({ before: null, after: BEFORE });
  });
});

describe("commits and files past what GitHub lists at once", () => {
  it("150 commits: GraphQL pages past its first 100 and agrees with REST", async () => {
    const commits = Array.from({ length: 150 }, (_, i) => ({ [`notes/${i}.md`]: `${i}\n` }));
    const { repo, number } = await pull({ "README.md": "x\n" }, commits);
    const snapshot = await bothLoaders(repo, number);
    expect(snapshot.commits).toHaveLength(150);
  });

  it("260 commits: GraphQL lists them all, REST fails closed at its 250", async () => {
    const commits = Array.from({ length: 260 }, (_, i) => ({ [`notes/${i}.md`]: `${i}\n` }));
    const { repo, number } = await pull({ "README.md": "x\n" }, commits);
    const graphql = (await load(github(), repo, number, "graphql")).loaded.snapshot;
    expect(graphql.commits).toHaveLength(260);
    const rest = load(github(), repo, number, "rest");
    await expect(rest).rejects.toBeInstanceOf(IncompleteSnapshot);
    await expect(rest).rejects.toMatchObject({
      title: "Changegate cannot see the whole pull request: GitHub lists 250 of its 260 commits",
    });
  });
});
