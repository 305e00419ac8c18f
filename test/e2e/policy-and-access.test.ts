// Issue 10, items 15, 19 and 29, through the real App and the GitHub emulator: access changes
// re-evaluate open pull requests; CODEOWNERS lines owned only by email addresses cannot be
// approved; `/changegate explain` never lists the members of a team.
import { describe, expect, it } from "vitest";
import {
  AFTER,
  approve,
  check,
  deliverEvent,
  openPull,
  PLANS,
  repository,
  seedRepo,
  seedWithPolicy,
  useStack,
} from "./fixture.js";

const stack = useStack();

const open = (repo: string): Promise<number> => openPull(stack(), repo, PLANS);

describe("CODEOWNERS owned by email addresses (item 19)", () => {
  it("fails the code-owner gate, saying why, when a file's only owners are email addresses", async () => {
    const repo = seedRepo(
      stack(),
      { "infra/lb.tf": AFTER },
      {
        ".github/changegate.yml": "requirements:\n  high: { codeOwners: true }\n",
        ".github/CODEOWNERS": "*.tf ops@acme.example\n",
      },
    );
    const number = await open(repo);
    await approve(stack(), repo, number, "bob", "carol");
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toContain("code owners are email addresses");
    expect(run!.output.summary).toContain("owned only by email addresses");
  });

  it("still passes with the approval of an owner named by login beside the email", async () => {
    const repo = seedRepo(
      stack(),
      { "infra/lb.tf": AFTER },
      {
        ".github/changegate.yml": "requirements:\n  high: { codeOwners: true }\n",
        ".github/CODEOWNERS": "*.tf ops@acme.example @carol\n",
      },
    );
    const number = await open(repo);
    await approve(stack(), repo, number, "bob", "carol");
    expect(check(stack(), repo, number).run).toMatchObject({
      conclusion: "success",
      output: { title: "High risk — all requirements met" },
    });
  });
});

describe("CODEOWNERS emails GitHub links to an account (item 19)", () => {
  /** olga committed to main with ops@acme.example: GitHub links that email to her account. */
  function seedWithOps(): string {
    stack().github.addUser("olga", { email: "ops@acme.example" });
    const repo = seedRepo(
      stack(),
      { "infra/lb.tf": AFTER },
      {
        ".github/changegate.yml": "requirements:\n  high: { codeOwners: true }\n",
        ".github/CODEOWNERS": "*.tf ops@acme.example\n",
      },
    );
    stack().github.addCollaborator(repo, "olga", "write");
    stack().github.commit(repo, "main", { "docs/ops.md": "# ops\n" }, { author: "olga" });
    return repo;
  }

  it("counts the approval of the account the email belongs to", async () => {
    const repo = seedWithOps();
    const number = await open(repo);
    await approve(stack(), repo, number, "bob", "olga");
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ conclusion: "success" });
    expect(run!.output.summary).toContain("approved by code owners: infra/lb.tf (@\u200bolga)");
  });

  it("still needs that account: other writers' approvals do not satisfy the email owner", async () => {
    const repo = seedWithOps();
    const number = await open(repo);
    await approve(stack(), repo, number, "bob", "carol");
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toContain("code-owner approval missing");
    // The summary escapes `@` so that an email never pings anyone.
    expect(run!.output.summary).toMatch(/infra\/lb\.tf needs ops@\u200b?acme\.example/);
  });
});

describe("/changegate explain and team membership (item 29)", () => {
  it("tells a required team by its size and the members who reviewed, never its member list", async () => {
    stack().github.addTeam("acme/vault-keepers", ["bob", "zed-hidden", "yui-hidden"]);
    const repo = seedWithPolicy(
      stack(),
      "requirements:\n  high: { approvals: 1, teams: [acme/vault-keepers] }\n",
    );
    const number = await open(repo);
    await approve(stack(), repo, number, "bob");
    await stack().github.comment(repo, number, "/changegate explain", "carol");
    await stack().idle();
    const explain = stack()
      .github.comments(repo, number)
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
  const deliverAccess = (event: string, payload: Record<string, unknown>): Promise<void> =>
    deliverEvent(stack(), event, "acme", payload);

  it("counts an approval no more once the approver's write access is removed (member.removed)", async () => {
    const repo = seedRepo(stack());
    const number = await open(repo);
    await approve(stack(), repo, number, "bob", "carol");
    expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "success" });

    stack().github.state.repos.get(repo)!.collaborators.delete("bob");
    await deliverAccess("member", {
      action: "removed",
      member: { login: "bob", type: "User" },
      repository: repository(repo),
    });
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toBe("High risk — 1 of 2 approvals");
  });

  it("drops a required team's approval once the approver leaves the team (membership.removed)", async () => {
    stack().github.addTeam("acme/edge", ["bob"]);
    const repo = seedWithPolicy(
      stack(),
      "requirements:\n  high: { approvals: 2, teams: [acme/edge] }\n",
    );
    const number = await open(repo);
    await approve(stack(), repo, number, "bob", "carol");
    expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "success" });

    stack().github.state.teams.get("acme/edge")!.members.delete("bob");
    await deliverAccess("membership", {
      action: "removed",
      scope: "team",
      member: { login: "bob", type: "User" },
      team: { slug: "edge", name: "edge" },
      organization: { login: "acme" },
    });
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toContain("acme/edge");
  });

  it("re-evaluates on organization.member_removed, and not on an invitation", async () => {
    const repo = seedRepo(stack());
    const number = await open(repo);
    await approve(stack(), repo, number, "bob", "carol");
    stack().github.state.repos.get(repo)!.collaborators.delete("carol");
    const mark = stack().github.mark();
    await deliverAccess("organization", {
      action: "member_invited",
      invitation: { login: "newbie" },
      organization: { login: "acme" },
    });
    // An invitation changes nobody's access: the App does not even look.
    expect(stack().github.since(mark)).toEqual([]);
    expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "success" });
    await deliverAccess("organization", {
      action: "member_removed",
      membership: { user: { login: "carol" }, role: "member", state: "active" },
      organization: { login: "acme" },
    });
    expect(check(stack(), repo, number).run).toMatchObject({
      conclusion: "failure",
      output: { title: "High risk — 1 of 2 approvals" },
    });
  });
});
