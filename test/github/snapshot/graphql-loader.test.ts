import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SnapshotCache } from "../../../src/github/snapshot/cache.js";
import { loadSnapshot } from "../../../src/github/snapshot/index.js";
import { BOT, load, roundTrips, timedClient, useEmulator } from "./helpers.js";

const example = (name: string) =>
  readFileSync(new URL(`../../../examples/postmortem/${name}`, import.meta.url), "utf8");
const BEFORE = example("before.tf");
const AFTER = example("after.tf");
const PLANS = "## Test plan\nhttps://ci.acme.dev/runs/4821\n\n## Rollback plan\nRevert.\n";

const deployment = (name: string, replicas: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n`;

// Every GraphQL query is valid against GitHub's schema, every REST request documented.
const github = useEmulator();
let counter = 0;

/** An organization repository with writers, a maintainer, a reader and an admin. */
function seed(files: Record<string, string>): string {
  const repo = `acme/svc-${++counter}`;
  github().createRepo(repo, { ownerType: "Organization", files });
  for (const [login, permission] of [
    ["alice", "write"],
    ["bob", "write"],
    ["carol", "write"],
    ["mia", "maintain"],
    ["tom", "triage"],
    ["rita", "read"],
    ["ada", "admin"],
  ] as const)
    github().addCollaborator(repo, login, permission);
  github().setRequiredChecks(repo, "main", ["Changegate"]);
  return repo;
}

async function open(repo: string, body = PLANS): Promise<number> {
  const { number } = await github().openPullRequest(repo, {
    head: "change",
    author: "alice",
    title: "Change",
    body,
  });
  return number;
}

/** Loads the PR through both loaders; they must agree, and GraphQL must not fall back. */
async function bothLoaders(repo: string, number: number) {
  const rest = await load(github(), repo, number, "rest");
  const graphql = await load(github(), repo, number, "graphql");
  expect(graphql.loaded).toEqual(rest.loaded);
  return { rest, graphql };
}

describe("the GraphQL snapshot loader gives the REST loader's snapshot", () => {
  it("for the postmortem PR: reviews at older commits, labels, teams, code owners, sticky comment, rulesets", async () => {
    const repo = seed({
      "infra/lb.tf": BEFORE,
      "README.md": "# svc\n",
      ".github/CODEOWNERS": "*.tf @acme/sre @acme/ghosts\n",
      ".github/changegate.yml":
        "requirements:\n  high: { approvals: 2, teams: [acme/sre] }\nemergency: { label: 'changegate:emergency' }\n",
    });
    github().addTeam("acme/sre", { carol: "maintainer", dave: "member" });
    github().setRuleset(repo, { requiredChecks: ["lint", "Changegate"] });
    github().commit(repo, "change", { "infra/lb.tf": AFTER }, { author: "alice" });
    const number = await open(repo);
    const first = github().pull(repo, number).head.sha;
    await github().submitReview(repo, number, { user: "bob", state: "APPROVED" });
    await github().submitReview(repo, number, { user: "alice", state: "APPROVED" });
    await github().push(repo, "change", { "infra/lb.tf": AFTER.replace("= 5", "= 6") }, "alice");
    await github().push(repo, "change", { "README.md": "# svc\n\nDocs.\n" }, "alice");
    await github().submitReview(repo, number, { user: "carol", state: "APPROVED" });
    await github().submitReview(repo, number, { user: "mia", state: "CHANGES_REQUESTED" });
    await github().submitReview(repo, number, { user: "tom", state: "COMMENTED" });
    await github().submitReview(repo, number, { user: "rita", state: "APPROVED", commitId: first });
    await github().comment(repo, number, "Looks risky", "bob");
    await github().comment(repo, number, "<!-- changegate:sticky --> forged", "bob");
    await github().comment(
      repo,
      number,
      "<!-- changegate:sticky -->\n- [x] Item\n<!-- changegate:state {} -->",
      BOT,
    );
    await github().addLabel(repo, number, "changegate:emergency", "bob");
    await github().removeLabel(repo, number, "changegate:emergency", "ada");
    await github().addLabel(repo, number, "needs-review", "alice");
    await github().addLabel(repo, number, "changegate:emergency", "mia");

    const { graphql } = await bothLoaders(repo, number);
    const { snapshot, sticky } = graphql.loaded;
    expect(snapshot.files).toMatchObject([{ path: "infra/lb.tf", status: "modified" }]);
    expect(Object.keys(snapshot.revisions ?? {})).toEqual([first]);
    expect(snapshot.reviews.map((review) => [review.user, review.permission])).toEqual([
      ["bob", "write"],
      ["alice", "write"],
      ["carol", "write"],
      ["mia", "maintain"],
      ["tom", "triage"],
      ["rita", "read"],
    ]);
    expect(snapshot.teams).toEqual({ "acme/sre": ["carol", "dave"] });
    expect(
      snapshot.labelEvents?.map((event) => [event.action, event.actor, event.permission]),
    ).toEqual([
      ["labeled", "bob", "write"],
      ["unlabeled", "ada", "admin"],
      ["labeled", "mia", "maintain"],
    ]);
    expect(snapshot.requiredChecks).toEqual(["Changegate", "lint"]);
    expect(sticky?.body).toContain("- [x] Item");
  });

  it("for renames, deleted, added and non-infrastructure files", async () => {
    const repo = seed({
      "k8s/web.yaml": deployment("web", 3),
      "k8s/old-api.yaml": deployment("api", 2),
      "infra/old.tf": BEFORE,
      "docs/guide.md": "# Guide\n",
      "config/app.json": '{ "debug": false }\n',
      "notes.txt": "notes\n",
    });
    github().commit(
      repo,
      "change",
      {
        "k8s/old-api.yaml": null,
        "k8s/api.yaml": deployment("api", 2).replace("replicas: 2", "replicas: 1"),
        "infra/old.tf": null,
        "notes.txt": null,
        "docs/guide.md": null,
        "docs/handbook.md": "# Guide\n",
        "k8s/worker.yaml": deployment("worker", 1),
        "config/app.json": '{ "debug": true }\n',
        ".github/workflows/ci.yml": "on: push\n",
        "web/nginx.conf": "server { listen 80; }\n",
        // Binary: GraphQL gives no text, REST's contents API reads it (as the REST loader does).
        "infra/blob.tf": "resource \u0000 binary\n",
      },
      { author: "alice" },
    );
    const number = await open(repo);
    const { graphql } = await bothLoaders(repo, number);
    const { snapshot } = graphql.loaded;
    expect(
      snapshot.files.map((file) => [file.path, file.status, file.previousPath ?? null]),
    ).toEqual([
      ["infra/blob.tf", "added", null],
      ["infra/old.tf", "removed", null],
      ["k8s/api.yaml", "modified", "k8s/old-api.yaml"],
      ["k8s/worker.yaml", "added", null],
      ["web/nginx.conf", "added", null],
    ]);
    expect(snapshot.otherFiles).toEqual(
      expect.arrayContaining(["config/app.json", ".github/workflows/ci.yml", "notes.txt"]),
    );
  });

  it("for a policy with _extends, bot reviews and bot commits", async () => {
    github().createRepo("acme/policies", {
      ownerType: "Organization",
      files: { ".github/changegate.yml": "requirements:\n  high: { approvals: 3 }\n" },
    });
    const repo = seed({
      "infra/lb.tf": BEFORE,
      ".github/changegate.yml": "_extends: policies\nrequirements:\n  medium: { approvals: 2 }\n",
    });
    github().addUser("renovate[bot]", { type: "Bot" });
    github().addCollaborator(repo, "renovate[bot]", "write");
    github().commit(repo, "change", { "infra/lb.tf": AFTER }, { author: "alice" });
    github().commit(repo, "change", { "README.md": "bump\n" }, { author: "renovate[bot]" });
    const number = await open(repo);
    await github().submitReview(repo, number, { user: "renovate[bot]", state: "APPROVED" });
    await github().comment(repo, number, "<!-- changegate:sticky --> by renovate", "renovate[bot]");
    const { graphql } = await bothLoaders(repo, number);
    const { snapshot, sticky } = graphql.loaded;
    expect(snapshot.reviews).toMatchObject([
      { user: "renovate[bot]", bot: true, permission: "none" },
    ]);
    expect(snapshot.commits?.map((commit) => commit.author)).toEqual(["alice", "renovate[bot]"]);
    // Another App's bot comment with the marker is not the sticky comment (issue 10, item 20).
    expect(sticky).toBeNull();
    // `_extends` names a file only known after round trip 1: one more request, for it alone.
    const parent = graphql.requests.filter((request) => request.repo === "acme/policies");
    expect(parent).toHaveLength(1);
    expect(roundTrips(graphql.requests)).toBe(3);
  });

  it("for a PR that merged the base branch in, and after it is merged", async () => {
    const repo = seed({ "infra/lb.tf": BEFORE, "k8s/web.yaml": deployment("web", 3) });
    github().commit(repo, "change", { "infra/lb.tf": AFTER }, { author: "alice" });
    const number = await open(repo);
    await github().submitReview(repo, number, { user: "bob", state: "APPROVED" });
    github().commit(repo, "main", { "k8s/web.yaml": deployment("web", 4) }, { author: "ada" });
    await github().mergeBaseIntoHead(repo, number, "alice");
    await github().push(repo, "change", { "k8s/web.yaml": deployment("web", 5) }, "alice");
    await github().submitReview(repo, number, { user: "carol", state: "APPROVED" });
    // Two boundary commits (the fork point and the merged base tip): the base tip is the merge base.
    expect(roundTrips((await bothLoaders(repo, number)).graphql.requests)).toBe(2);

    github().setRequiredChecks(repo, "main", []);
    await github().mergePullRequest(repo, number, "mia");
    github().commit(repo, "main", { "README.md": "after the merge\n" }, { author: "ada" });
    const { graphql } = await bothLoaders(repo, number);
    expect(graphql.loaded.snapshot.pull).toMatchObject({
      state: "closed",
      merged: true,
      mergedBy: "mia",
    });
    // The base branch moved on: the policy is read at the PR's base, one round trip more.
    expect(roundTrips(graphql.requests)).toBe(3);
  });

  it("for a PR whose base moved on without being merged in", async () => {
    const repo = seed({ "infra/lb.tf": BEFORE, "k8s/web.yaml": deployment("web", 3) });
    github().commit(repo, "feature", { "k8s/web.yaml": deployment("web", 1) }, { author: "ada" });
    github().commit(repo, "change", { "infra/lb.tf": AFTER }, { author: "alice" });
    github().commit(repo, "main", { "k8s/web.yaml": deployment("web", 6) }, { author: "ada" });
    const number = await open(repo);
    const { graphql } = await bothLoaders(repo, number);
    expect(roundTrips(graphql.requests)).toBe(2);
  });
});

describe("round trips", () => {
  /** A PR changing `count` Terraform files, approved at an older commit, with teams and CODEOWNERS. */
  async function manyFiles(count: number): Promise<{ repo: string; number: number }> {
    const files: Record<string, string> = {
      ".github/CODEOWNERS": "*.tf @acme/sre\n",
      ".github/changegate.yml": "requirements:\n  high: { teams: [acme/sre] }\n",
    };
    const changes: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
      const name = `infra/lb-${String(i).padStart(3, "0")}.tf`;
      files[name] = BEFORE.replace("web", `web${i}`);
      changes[name] = AFTER.replace("web", `web${i}`);
    }
    const repo = seed(files);
    github().addTeam("acme/sre", ["carol"]);
    github().commit(repo, "change", changes, { author: "alice" });
    const number = await open(repo);
    await github().submitReview(repo, number, { user: "bob", state: "APPROVED" });
    await github().push(
      repo,
      "change",
      { "infra/lb-000.tf": AFTER.replace("= 5", "= 7") },
      "alice",
    );
    await github().submitReview(repo, number, { user: "carol", state: "APPROVED" });
    return { repo, number };
  }

  it("loads a PR with 100 infrastructure files in 2 sequential read round trips", async () => {
    const { repo, number } = await manyFiles(100);
    const mark = github().mark();
    const { rest, graphql } = await bothLoaders(repo, number);
    expect(graphql.loaded.snapshot.files).toHaveLength(100);
    expect(Object.values(graphql.loaded.snapshot.revisions ?? {})[0]).toHaveLength(100);

    expect(roundTrips(graphql.requests)).toBe(2);
    const queries = graphql.requests.filter((request) => request.graphql).length;
    const restReads = graphql.requests.length - queries;
    // 1 + 3 parallel queries (300 file texts); REST: the file list, two compares for merge bases,
    // and the head branch's push record (who pushed).
    expect({ queries, restReads }).toEqual({ queries: 4, restReads: 4 });
    // REST: one request at a time, over 300 (the texts at the merge base repeat and are cached).
    expect(roundTrips(rest.requests)).toBe(rest.requests.length);
    expect(rest.requests.length).toBeGreaterThan(300);
    // The emulator saw the same requests the client timed.
    expect(github().since(mark)).toHaveLength(rest.requests.length + graphql.requests.length);
  });

  it("pages through REST beyond 100 changed files (150 infrastructure files)", async () => {
    const { repo, number } = await manyFiles(150);
    const { graphql } = await bothLoaders(repo, number);
    expect(graphql.loaded.snapshot.files).toHaveLength(150);
    // The second page of files is one more round trip before the texts.
    expect(roundTrips(graphql.requests)).toBe(3);
  });

  it("reads no unchanged file twice across evaluations of one process", async () => {
    const { repo, number } = await manyFiles(20);
    const cache = new SnapshotCache();
    const first = await load(github(), repo, number, "graphql", cache);
    const mark = github().mark();
    const second = await load(github(), repo, number, "graphql", cache);
    expect(second.loaded).toEqual(first.loaded);
    const texts = (since: number) =>
      github()
        .since(since)
        .filter((request) => request.operationId === "graphql")
        .reduce(
          (n, request) =>
            n + (JSON.stringify(request.body).match(/object\(expression/g)?.length ?? 0),
          0,
        );
    expect(texts(mark)).toBe(0);
    // Nor a comparison: the merge bases of fixed commits are cached.
    expect(
      github()
        .since(mark)
        .filter((request) => request.operationId === "repos/compare-commits"),
    ).toEqual([]);

    // A push that changes one file: only that file is read again (the rest by blob oid), and
    // its directory at the new head, whose other files are the context.
    await github().push(
      repo,
      "change",
      { "infra/lb-005.tf": AFTER.replace("= 5", "= 9") },
      "alice",
    );
    const afterPush = github().mark();
    await load(github(), repo, number, "graphql", cache);
    expect(texts(afterPush)).toBe(2);
    expect(cache.stats().entries).toBeGreaterThan(0);
  });
});

describe("fallback to REST", () => {
  it("answers with the REST loader when GraphQL fails", async () => {
    const repo = seed({ "infra/lb.tf": BEFORE });
    github().commit(repo, "change", { "infra/lb.tf": AFTER }, { author: "alice" });
    const number = await open(repo);
    const rest = await load(github(), repo, number, "rest");
    github().injectFault({ operationId: "graphql", status: 502 });
    const { octokit } = timedClient(github());
    const failures: unknown[] = [];
    const [owner, name] = repo.split("/") as [string, string];
    const loaded = await loadSnapshot(octokit, { owner, repo: name, number }, BOT, {
      cache: null,
      onFallback: (error) => failures.push(error),
    });
    expect(failures).toHaveLength(1);
    expect(loaded).toEqual(rest.loaded);
  });
});
