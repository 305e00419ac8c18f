// The Action's `config` input (docs/snapshot.md `policyFile`): the policy read from a path other
// than `.github/changegate.yml`, at the pull request's base, by both loaders in the same round
// trips; missing there, the load fails closed; a change to it is a policy change.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import { checkSnapshot } from "../../src/gates/snapshot-schema.js";
import { IncompleteSnapshot, loadSnapshot } from "../../src/github/snapshot/index.js";
import { customPolicyFile, isPolicyFile } from "../../src/shared/names.js";
import { BOT, roundTrips, timedClient, useEmulator } from "./snapshot/helpers.js";

const github = useEmulator();
let counter = 0;

const CUSTOM = "ci/changegate.yml";
const THREE = "requirements:\n  high: { approvals: 3 }\n";
const NONE = "requirements:\n  high: { approvals: 0 }\n";
const PLANS = "## Test plan\nhttps://ci.acme.dev/runs/1\n\n## Rollback plan\nRevert.\n";
const example = (name: string) =>
  readFileSync(new URL(`../../examples/postmortem/${name}`, import.meta.url), "utf8");
/** The postmortem change: high risk. */
const BEFORE = { "infra/lb.tf": example("before.tf") };
const AFTER = { "infra/lb.tf": example("after.tf") };

/** An organization repository whose base holds `base`, with a PR from `change` holding `head`. */
async function pullWith(
  base: Record<string, string>,
  head: Record<string, string>,
  owner = "acme",
): Promise<{ repo: string; number: number }> {
  const repo = `${owner}/svc-${++counter}`;
  github().createRepo(repo, { ownerType: "Organization", files: base });
  for (const login of ["alice", "bob", "carol"]) github().addCollaborator(repo, login, "write");
  github().commit(repo, "change", head, { author: "alice" });
  const { number } = await github().openPullRequest(repo, {
    head: "change",
    author: "alice",
    title: "Change",
    body: PLANS,
  });
  return { repo, number };
}

type Recorded = ReturnType<ReturnType<typeof github>["since"]>;

/**
 * Whether a load asked for `owner`'s `.github` repository: REST by its path, GraphQL by a
 * repository field named `.github` in its query or variables (src/github/snapshot/graphql/pull-query.ts).
 */
const askedOwnerGithub = (recorded: Recorded, owner: string): boolean =>
  recorded.some((request) => {
    if (request.path.startsWith(`/repos/${owner}/.github/`)) return true;
    if (request.operationId !== "graphql") return false;
    const { query = "", variables = {} } = request.body as {
      query?: string;
      variables?: Record<string, unknown>;
    };
    return /name:\s*"\.github"/.test(query) || Object.values(variables).includes(".github");
  });

async function load(
  repo: string,
  number: number,
  via: "graphql" | "rest",
  policyPath: string | undefined = CUSTOM,
) {
  const mark = github().mark();
  const { octokit, requests } = timedClient(github());
  const [owner, name] = repo.split("/") as [string, string];
  const loaded = await loadSnapshot(octokit, { owner, repo: name, number }, BOT, {
    via,
    cache: null,
    policyPath,
    onFallback: (error) => {
      throw error;
    },
  });
  return { loaded, requests, recorded: github().since(mark) };
}

/** Both loaders, which must agree (and GraphQL must not fall back to REST). */
async function bothLoaders(repo: string, number: number, policyPath?: string) {
  const rest = await load(repo, number, "rest", policyPath);
  const graphql = await load(repo, number, "graphql", policyPath);
  expect(graphql.loaded).toEqual(rest.loaded);
  return { rest, graphql };
}

describe("a custom policy path (LoadContext.policyPath)", () => {
  it("is the policy, read at the base by both loaders, GraphQL in its usual two round trips", async () => {
    const { repo, number } = await pullWith(
      {
        ...BEFORE,
        [CUSTOM]: THREE,
        // The default file is not the policy when another path is named, nor the owner's `.github`.
        ".github/changegate.yml": NONE,
      },
      AFTER,
    );
    github().createRepo("acme/.github", {
      ownerType: "Organization",
      files: { ".github/changegate.yml": NONE },
    });
    const { rest, graphql } = await bothLoaders(repo, number);
    const { snapshot } = graphql.loaded;
    expect(snapshot).toMatchObject({ policy: THREE, policyPath: CUSTOM, policyFile: CUSTOM });
    expect(roundTrips(graphql.requests)).toBe(2);
    // GraphQL asks for the `.github` repository inside its query, which the client's log does not
    // name: the emulator's log of each loader is searched (the last test shows the search finds it).
    expect(askedOwnerGithub(rest.recorded, "acme"), "REST asked acme/.github").toBe(false);
    expect(askedOwnerGithub(graphql.recorded, "acme"), "GraphQL asked acme/.github").toBe(false);
    const { verdict } = evaluate(snapshot);
    expect(verdict.title).toContain("0 of 3 approvals");
    expect(verdict.policyChanged).toBe(false);
  });

  it("follows _extends from the custom file", async () => {
    github().createRepo("acme/policies", {
      ownerType: "Organization",
      files: { [CUSTOM]: THREE },
    });
    const { repo, number } = await pullWith({ ...BEFORE, [CUSTOM]: "_extends: policies\n" }, AFTER);
    const { graphql } = await bothLoaders(repo, number);
    expect(graphql.loaded.snapshot.policyPath).toBe(
      `${CUSTOM} merged with acme/policies:${CUSTOM}`,
    );
    expect(graphql.loaded.snapshot.policyFile).toBe(CUSTOM);
    expect(evaluate(graphql.loaded.snapshot).verdict.title).toContain("0 of 3 approvals");
  });

  it("fails closed when the file does not exist at the base, naming the path, the branch and the commit", async () => {
    // The PR adds it: the head's copy is never the policy (and neither is the default file).
    const { repo, number } = await pullWith(
      { ...BEFORE, ".github/changegate.yml": THREE },
      { ...AFTER, [CUSTOM]: NONE },
    );
    const baseSha = github().pull(repo, number).base.sha;
    for (const via of ["graphql", "rest"] as const) {
      const error = await load(repo, number, via).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(IncompleteSnapshot);
      expect((error as IncompleteSnapshot).title).toBe("Changegate could not load its policy");
      expect((error as IncompleteSnapshot).message).toContain(
        `${CUSTOM} does not exist at main (${baseSha})`,
      );
    }
  });

  it("judges a PR that edits it under the base's version, as a policy change", async () => {
    for (const edit of [NONE, ""]) {
      const { repo, number } = await pullWith(
        { ...BEFORE, [CUSTOM]: THREE },
        { ...AFTER, [CUSTOM]: edit },
      );
      const { graphql } = await bothLoaders(repo, number);
      const { snapshot } = graphql.loaded;
      expect(snapshot.policy).toBe(THREE);
      expect(snapshot.files.map((file) => file.path)).toContain(CUSTOM);
      const { analysis, verdict } = evaluate(snapshot);
      expect(verdict.policyChanged).toBe(true);
      expect(verdict.title).toContain("0 of 3 approvals");
      // Emptied too: the file is a policy by its path, not by what it now holds.
      expect(
        analysis.findings.filter((finding) => finding.rule === "generic.policy.changed"),
      ).toMatchObject([{ file: CUSTOM, severity: "high" }]);
      // A saved snapshot replays the same (`changegate evaluate --snapshot`, docs/snapshot.md).
      const replayed = checkSnapshot(JSON.parse(JSON.stringify(snapshot)));
      expect(replayed.ok && evaluate(replayed.snapshot).verdict.policyChanged).toBe(true);
    }
  });

  it("is the App's lookup when it names a default file: both spellings, the `.github` fallback", async () => {
    const { repo, number } = await pullWith(BEFORE, AFTER, "umbrella");
    github().createRepo("umbrella/.github", {
      ownerType: "Organization",
      files: { ".github/changegate.yaml": THREE },
    });
    const { rest, graphql } = await bothLoaders(repo, number, "./.github/changegate.yml");
    expect(graphql.loaded.snapshot).toMatchObject({
      policy: THREE,
      policyPath: "umbrella/.github:.github/changegate.yaml",
    });
    expect(graphql.loaded.snapshot.policyFile).toBeUndefined();
    expect(askedOwnerGithub(rest.recorded, "umbrella")).toBe(true);
    expect(askedOwnerGithub(graphql.recorded, "umbrella")).toBe(true);
  });
});

describe("customPolicyFile and isPolicyFile", () => {
  it("normalizes the path and leaves the default names to the App's lookup", () => {
    expect(customPolicyFile("./ci/changegate.yml")).toBe(CUSTOM);
    expect(customPolicyFile("/ci/changegate.yml")).toBe(CUSTOM);
    expect(customPolicyFile(".github/changegate.yaml")).toBeUndefined();
    expect(customPolicyFile(" ")).toBeUndefined();
    expect(customPolicyFile(undefined)).toBeUndefined();
  });

  it("counts the default names always, and the custom file when given", () => {
    expect(isPolicyFile(CUSTOM)).toBe(false);
    expect(isPolicyFile(CUSTOM, CUSTOM)).toBe(true);
    expect(isPolicyFile(".github/changegate.yml", CUSTOM)).toBe(true);
    expect(isPolicyFile(".github/changegate.yaml", CUSTOM)).toBe(true);
  });
});
