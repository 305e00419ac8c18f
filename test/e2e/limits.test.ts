/**
 * More than GitHub lists (issue 10, item 6): the files API lists at most 3,000 files of a pull
 * request, REST's commits API at most 250 commits, a comparison at most 300 files; the emulator
 * enforces the same caps. Beyond them the App fails closed with a title that says why, pages
 * GraphQL's commits to the end, and treats an approval whose commit it cannot compare whole as
 * stale. Through the real App and the emulator.
 */
import { describe, expect, it } from "vitest";
import type { LocalStack } from "../../tools/demo/stack.js";
import {
  AFTER,
  approve,
  check,
  failGraphql,
  openPull,
  PLANS,
  seedRepo,
  sticky,
  useStack,
} from "./fixture.js";
import { captureLog, printLogOnFailure } from "./capture-log.js";

const logged = captureLog();
printLogOnFailure(logged);
const stack = useStack({ log: logged.log });

/** `count` documentation files, listed (by name) before `infra/`. */
function docs(count: number, prefix = "docs/page"): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `${prefix}-${String(i).padStart(4, "0")}.md`,
      `# Page ${i}\n`,
    ]),
  );
}

/** The postmortem change, then `count` commits of notes; the last one by `lastAuthor`. */
function withNotes(stack: LocalStack, count: number, lastAuthor: string): string {
  const repo = seedRepo(stack, { "infra/lb.tf": AFTER });
  for (let i = 0; i < count; i++)
    stack.github.commit(
      repo,
      "change",
      { [`docs/note-${i}.md`]: `# Note ${i}\n` },
      { author: i === count - 1 ? lastAuthor : "alice", message: `Note ${i}` },
    );
  return repo;
}

describe("a pull request larger than GitHub lists", () => {
  for (const via of ["graphql", "rest"] as const)
    it(`more than 3,000 files: the check fails closed and says so (${via})`, async () => {
      // The risky change is file 3,001 in GitHub's order: past the cut.
      const repo = seedRepo(stack(), { ...docs(3000, "a-docs/page"), "infra/lb.tf": AFTER });
      if (via === "rest") failGraphql(stack());
      logged.lines.splice(0);
      const number = await openPull(stack(), repo, PLANS);
      const { run } = check(stack(), repo, number);
      expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
      expect(run!.output.title).toBe(
        "Changegate cannot see the whole pull request: GitHub lists 3,000 of its 3,001 files",
      );
      // Logged for the operator (kept by the test, not printed).
      expect(logged.messages("error")).toContain("evaluation failed; check fails closed");
    });

  it("more than 250 commits: a committer past REST's cut is still a contributor (GraphQL pages on)", async () => {
    const repo = withNotes(stack(), 255, "bob");
    const number = await openPull(stack(), repo, PLANS);
    await approve(stack(), repo, number, "bob", "carol");
    const { run } = check(stack(), repo, number);
    // bob committed (commit 256 of 256): his approval does not count.
    expect(run).toMatchObject({
      conclusion: "failure",
      output: { title: "High risk — 1 of 2 approvals" },
    });
    expect(sticky(stack(), repo, number)[0]!.body).toMatch(/bob.*❌ .*committed/);
  });

  it("more than 250 commits over REST alone: the check fails closed and says so", async () => {
    const repo = withNotes(stack(), 255, "alice");
    failGraphql(stack());
    const number = await openPull(stack(), repo, PLANS);
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.title).toBe(
      "Changegate cannot see the whole pull request: GitHub lists 250 of its 256 commits",
    );
  });

  for (const via of ["graphql", "rest"] as const)
    it(`an approval on a commit whose comparison GitHub cuts at 300 files is stale (${via})`, async () => {
      // The approved commit changes 300 docs (listed first), the load balancer and extra.tf; a
      // later push takes the extra.tf change back out. Past the cut the approver's extra.tf
      // change is invisible, so the change sets would look equal.
      const extra = 'resource "aws_lb" "extra" {\n  idle_timeout = 60\n}\n';
      const repo = seedRepo(
        stack(),
        { ...docs(300), "infra/lb.tf": AFTER, "infra/extra.tf": extra.replace("60", "30") },
        { "infra/extra.tf": extra },
      );
      if (via === "rest") failGraphql(stack());
      const number = await openPull(stack(), repo, PLANS);
      await approve(stack(), repo, number, "bob", "carol");
      expect(check(stack(), repo, number).run!.conclusion).toBe("success");
      await stack().github.push(repo, "change", { "infra/extra.tf": extra }, "alice");
      await stack().idle();
      expect(check(stack(), repo, number).run!).toMatchObject({
        conclusion: "failure",
        output: { title: "High risk — 0 of 2 approvals" },
      });
    });
});
