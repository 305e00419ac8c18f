// Issue 10, items 15, 19 and 29, through the real App and the GitHub emulator: access changes
// re-evaluate open pull requests; CODEOWNERS lines owned only by email addresses cannot be
// approved; `/changegate explain` never lists the members of a team.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../tools/demo/stack.js";
import { AFTER, check, PLANS, seedRepo } from "./fixture.js";

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  expect(stack.github.violations).toEqual([]);
});

async function open(repo: string): Promise<number> {
  const { number } = await stack.github.openPullRequest(repo, {
    head: "change",
    author: "alice",
    title: "LB maintenance",
    body: PLANS,
  });
  await stack.idle();
  return number;
}

async function approve(repo: string, number: number, ...users: string[]): Promise<void> {
  for (const user of users)
    await stack.github.submitReview(repo, number, { user, state: "APPROVED" });
  await stack.idle();
}

describe("CODEOWNERS owned by email addresses (item 19)", () => {
  it("fails the code-owner gate, saying why, when a file's only owners are email addresses", async () => {
    const repo = seedRepo(
      stack,
      { "infra/lb.tf": AFTER },
      {
        ".github/changegate.yml": "requirements:\n  high: { codeOwners: true }\n",
        ".github/CODEOWNERS": "*.tf ops@acme.example\n",
      },
    );
    const number = await open(repo);
    await approve(repo, number, "bob", "carol");
    const { run } = check(stack, repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toContain("code owners are email addresses");
    expect(run!.output.summary).toContain("owned only by email addresses");
  });

  it("still passes with the approval of an owner named by login beside the email", async () => {
    const repo = seedRepo(
      stack,
      { "infra/lb.tf": AFTER },
      {
        ".github/changegate.yml": "requirements:\n  high: { codeOwners: true }\n",
        ".github/CODEOWNERS": "*.tf ops@acme.example @carol\n",
      },
    );
    const number = await open(repo);
    await approve(repo, number, "bob", "carol");
    expect(check(stack, repo, number).run).toMatchObject({ conclusion: "success" });
  });
});

describe("CODEOWNERS emails GitHub links to an account (item 19)", () => {
  /** olga committed to main with ops@acme.example: GitHub links that email to her account. */
  function seedWithOps(): string {
    stack.github.addUser("olga", { email: "ops@acme.example" });
    const repo = seedRepo(
      stack,
      { "infra/lb.tf": AFTER },
      {
        ".github/changegate.yml": "requirements:\n  high: { codeOwners: true }\n",
        ".github/CODEOWNERS": "*.tf ops@acme.example\n",
      },
    );
    stack.github.addCollaborator(repo, "olga", "write");
    stack.github.commit(repo, "main", { "docs/ops.md": "# ops\n" }, { author: "olga" });
    return repo;
  }

  it("counts the approval of the account the email belongs to", async () => {
    const repo = seedWithOps();
    const number = await open(repo);
    await approve(repo, number, "bob", "olga");
    const { run } = check(stack, repo, number);
    expect(run).toMatchObject({ conclusion: "success" });
    expect(run!.output.summary).toContain("approved by code owners: infra/lb.tf (olga)");
  });

  it("still needs that account: other writers' approvals do not satisfy the email owner", async () => {
    const repo = seedWithOps();
    const number = await open(repo);
    await approve(repo, number, "bob", "carol");
    const { run } = check(stack, repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toContain("code-owner approval missing");
    // The summary escapes `@` so that an email never pings anyone.
    expect(run!.output.summary).toMatch(/infra\/lb\.tf needs ops@\u200b?acme\.example/);
  });
});

describe("/changegate explain and team membership (item 29)", () => {
  it("tells a required team by its size and the members who reviewed, never its member list", async () => {
    stack.github.addTeam("acme/vault-keepers", ["bob", "zed-hidden", "yui-hidden"]);
    const repo = seedRepo(
      stack,
      { "infra/lb.tf": AFTER },
      {
        ".github/changegate.yml":
          "requirements:\n  high: { approvals: 1, teams: [acme/vault-keepers] }\n",
      },
    );
    const number = await open(repo);
    await approve(repo, number, "bob");
    await stack.github.comment(repo, number, "/changegate explain", "carol");
    await stack.idle();
    const explain = stack.github
      .comments(repo, number)
      .find((comment) => comment.body.startsWith("### Changegate: explanation"));
    expect(explain).toBeDefined();
    expect(explain!.body).not.toContain("zed-hidden");
    expect(explain!.body).not.toContain("yui-hidden");
    expect(explain!.body).toContain("`acme/vault-keepers`: 3 members; reviewed by bob");
    // The attached snapshot still replays: the team keeps the member who reviewed.
    expect(explain!.body).toMatch(/"acme\/vault-keepers": \[\s*"bob"\s*\]/);
  });
});

describe("access changes re-evaluate open pull requests (item 15)", () => {
  /** A signed delivery of an access event, as GitHub sends it to the App's installation. */
  async function deliverAccess(event: string, payload: Record<string, unknown>): Promise<void> {
    const installation = { id: stack.github.addInstallation("acme") };
    const sender = { login: "ada", type: "User" };
    await stack.github.deliver(event, { ...payload, installation, sender });
    await stack.idle();
  }
  const repository = (repo: string) => ({
    name: repo.split("/")[1],
    full_name: repo,
    owner: { login: "acme", type: "Organization" },
  });

  it("counts an approval no more once the approver's write access is removed (member.removed)", async () => {
    const repo = seedRepo(stack);
    const number = await open(repo);
    await approve(repo, number, "bob", "carol");
    expect(check(stack, repo, number).run).toMatchObject({ conclusion: "success" });

    stack.github.state.repos.get(repo)!.collaborators.delete("bob");
    await deliverAccess("member", {
      action: "removed",
      member: { login: "bob", type: "User" },
      repository: repository(repo),
    });
    const { run } = check(stack, repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toBe("High risk — 1 of 2 approvals");
  });

  it("drops a required team's approval once the approver leaves the team (membership.removed)", async () => {
    stack.github.addTeam("acme/edge", ["bob"]);
    const repo = seedRepo(
      stack,
      { "infra/lb.tf": AFTER },
      { ".github/changegate.yml": "requirements:\n  high: { approvals: 2, teams: [acme/edge] }\n" },
    );
    const number = await open(repo);
    await approve(repo, number, "bob", "carol");
    expect(check(stack, repo, number).run).toMatchObject({ conclusion: "success" });

    stack.github.state.teams.get("acme/edge")!.members.delete("bob");
    await deliverAccess("membership", {
      action: "removed",
      scope: "team",
      member: { login: "bob", type: "User" },
      team: { slug: "edge", name: "edge" },
      organization: { login: "acme" },
    });
    const { run } = check(stack, repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toContain("acme/edge");
  });

  it("re-evaluates on organization.member_removed, and not on an invitation", async () => {
    const repo = seedRepo(stack);
    const number = await open(repo);
    await approve(repo, number, "bob", "carol");
    stack.github.state.repos.get(repo)!.collaborators.delete("carol");
    await deliverAccess("organization", {
      action: "member_invited",
      invitation: { login: "newbie" },
      organization: { login: "acme" },
    });
    expect(check(stack, repo, number).run).toMatchObject({ conclusion: "success" });
    await deliverAccess("organization", {
      action: "member_removed",
      membership: { user: { login: "carol" }, role: "member", state: "active" },
      organization: { login: "acme" },
    });
    expect(check(stack, repo, number).run).toMatchObject({ conclusion: "failure" });
  });
});
