// Issue 10, items 16 and 17: the policy never silently weakens. `_extends` parents that cannot be
// read fail the check with the reason; chains and the owner's `.github` fallback are followed as
// Probot's config loader does; `.github/changegate.yaml` is read, and both spellings are refused.
import { describe, expect, it } from "vitest";
import { AFTER, check, failGraphql, openPull, PLANS, seedRepo, useStack } from "./fixture.js";

const stack = useStack();

/**
 * A repository of `owner` (each test its own: the owner's `.github` repository is every one of its
 * repositories' policy) with the postmortem change on branch `change` and `base` files on main.
 */
const seed = (owner: string, base: Record<string, string> = {}): string =>
  seedRepo(stack(), { "infra/lb.tf": AFTER }, base, { owner });

/** Opens the pull request and returns its check. */
async function open(
  repo: string,
): Promise<{ conclusion: string | null; title: string; summary: string }> {
  const number = await openPull(stack(), repo, PLANS);
  const { run } = check(stack(), repo, number);
  return {
    conclusion: run?.conclusion ?? null,
    title: run?.output.title ?? "",
    summary: run?.output.summary ?? "",
  };
}

/** What a policy that cannot be known is called in the title; the summary says why. */
const FAILED_TITLE = "Changegate could not load its policy";
const THREE = "requirements:\n  high: { approvals: 3 }\n";

describe("where the policy comes from (item 17: both spellings)", () => {
  it("reads .github/changegate.yaml", async () => {
    const repo = seed("yaml-org", { ".github/changegate.yaml": THREE });
    expect((await open(repo)).title).toBe("High risk — 0 of 3 approvals");
  });

  it("names .github/changegate.yaml, with the line, when that policy is invalid", async () => {
    const repo = seed("bad-yaml-org", {
      ".github/changegate.yaml": "requirements:\n  high:\n    approvals: two\n",
    });
    const result = await open(repo);
    expect(result.conclusion).toBe("failure");
    expect(`${result.title}\n${result.summary}`).toContain(".github/changegate.yaml");
    expect(result.title).toContain("line 3");
  });

  it("fails closed when both .github/changegate.yml and .github/changegate.yaml exist", async () => {
    const repo = seed("both-org", {
      ".github/changegate.yml": THREE,
      ".github/changegate.yaml": "requirements:\n  high: { approvals: 0 }\n",
    });
    const result = await open(repo);
    expect(result.conclusion).toBe("failure");
    expect(result.title).toBe(FAILED_TITLE);
    expect(result.summary).toContain(".github/changegate.yml and .github/changegate.yaml");
  });
});

describe("_extends (item 16)", () => {
  it("fails closed, naming the parent, when the parent does not exist or the App cannot see it", async () => {
    const repo = seed("gone-org", {
      ".github/changegate.yml": "_extends: gone-org/policies\nemergency: { label: urgent }\n",
    });
    const result = await open(repo);
    expect(result.conclusion).toBe("failure");
    expect(result.title).toBe(FAILED_TITLE);
    expect(result.summary).toContain("_extends: gone-org/policies");
    expect(result.summary).toContain("gone-org/policies:.github/changegate.yml");
  });

  it("fails closed when reading the parent fails (GitHub answers 502 every time)", async () => {
    stack().github.createRepo("flaky-org/policies", {
      ownerType: "Organization",
      files: { ".github/changegate.yml": THREE },
    });
    const repo = seed("flaky-org", { ".github/changegate.yml": "_extends: policies\n" });
    stack().github.injectFault({
      path: /^\/repos\/flaky-org\/policies\/contents\//,
      status: 502,
      times: Infinity,
    });
    const result = await open(repo);
    expect(result.conclusion).toBe("failure");
    expect(result.title).toBe(FAILED_TITLE);
    expect(result.summary).toContain("_extends: policies");
    expect(result.summary).toContain("502");
  });

  it("follows a chain of _extends to its end (the nearest file wins, maps merge)", async () => {
    stack().github.createRepo("chain-org/root-policy", {
      ownerType: "Organization",
      files: {
        ".github/changegate.yml": "requirements:\n  high: { approvals: 3, testPlan: true }\n",
      },
    });
    stack().github.createRepo("chain-org/team-policy", {
      ownerType: "Organization",
      files: {
        "policies/lb.yml":
          "_extends: root-policy:.github/changegate.yml\nrequirements:\n  medium: { approvals: 1 }\n",
      },
    });
    const repo = seed("chain-org", {
      ".github/changegate.yml": "_extends: team-policy:policies/lb.yml\n",
    });
    expect((await open(repo)).title).toBe("High risk — 0 of 3 approvals");
  });

  it("refuses a chain that loops", async () => {
    stack().github.createRepo("loop-org/a", {
      ownerType: "Organization",
      files: { ".github/changegate.yml": "_extends: b\n" },
    });
    stack().github.createRepo("loop-org/b", {
      ownerType: "Organization",
      files: { ".github/changegate.yml": "_extends: a\n" },
    });
    const repo = seed("loop-org", { ".github/changegate.yml": "_extends: a\n" });
    const result = await open(repo);
    expect(result.conclusion).toBe("failure");
    expect(result.title).toBe(FAILED_TITLE);
    expect(result.summary).toContain("loops");
  });

  it("uses the owner's .github repository when the repository has no policy, as Probot does", async () => {
    stack().github.createRepo("org-wide/.github", {
      ownerType: "Organization",
      files: { ".github/changegate.yml": THREE },
    });
    const repo = seed("org-wide");
    expect((await open(repo)).title).toBe("High risk — 0 of 3 approvals");
  });

  it("fails closed when the owner's .github repository cannot be read (not a 404)", async () => {
    stack().github.createRepo("shaky-org/.github", {
      ownerType: "Organization",
      files: { ".github/changegate.yml": THREE },
    });
    const repo = seed("shaky-org");
    // GraphQL cannot answer at all, so both loaders read the fallback over REST, which fails.
    failGraphql(stack());
    stack().github.injectFault({
      path: /^\/repos\/shaky-org\/\.github\/contents\//,
      status: 500,
      times: Infinity,
    });
    const result = await open(repo);
    expect(result.conclusion).toBe("failure");
    expect(result.title).toBe(FAILED_TITLE);
    expect(result.summary).toContain("shaky-org/.github");
  });
});

describe("_extends whose parent does not answer in time (item 16)", () => {
  const slow = useStack({ requests: { timeoutMs: 1_500, deadlineMs: 3_000 } });

  it("fails closed with the timeout as the reason", async () => {
    slow().github.createRepo("slow-org/policies", {
      ownerType: "Organization",
      files: { ".github/changegate.yml": THREE },
    });
    const repo = seedRepo(
      slow(),
      { "infra/lb.tf": AFTER },
      { ".github/changegate.yml": "_extends: policies\n" },
      { owner: "slow-org" },
    );
    slow().github.injectFault({
      path: /^\/repos\/slow-org\/policies\/contents\//,
      delayMs: 5_000,
      times: Infinity,
    });
    const number = await openPull(slow(), repo, PLANS);
    const { run } = check(slow(), repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.summary).toContain("_extends: policies");
    expect(run!.output.title).toBe(FAILED_TITLE);
    expect(run!.output.summary).toContain("did not answer");
  });
});
