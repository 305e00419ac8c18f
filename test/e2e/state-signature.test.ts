import { describe, expect, it } from "vitest";
import { encodeState, tickedLines } from "../../src/render/comment-state.js";
import {
  AFTER,
  check,
  openPull,
  PLANS,
  pushUnlinked,
  seedRepo,
  seedWithPolicy,
  sticky,
  useStack,
} from "./fixture.js";

// The sticky comment's state block is signed by the App (docs/security.md, "The sticky comment's
// state block"). Anyone with write access can edit or delete the App's comment: what they write
// into the state never weakens the gate, and what they take out of it still counts.

const stack = useStack();

const STATE_BLOCK = /<!-- changegate:state [^>]* -->/;
const CHECKLIST_POLICY = "requirements:\n  high: { checklist: true }\n";

const withState = (body: string, block: string): string => body.replace(STATE_BLOCK, block);
const stateOf = (body: string): string => STATE_BLOCK.exec(body)![0];

/** A checklist PR, its comment, and every item of its checklist ticked in a forged state. */
async function checklistPull(): Promise<{ repo: string; number: number; forged: string }> {
  const repo = seedWithPolicy(stack(), CHECKLIST_POLICY);
  const number = await openPull(stack(), repo, PLANS);
  const { body } = sticky(stack(), repo, number)[0]!;
  const headSha = stack().github.pull(repo, number).head.sha;
  const items = [...tickedLines(body).keys()];
  expect(items.length).toBeGreaterThan(0);
  const forged = encodeState({
    ticks: items.map((item) => ({ item, checkedBy: "ada", permission: "admin" as const, headSha })),
  });
  return { repo, number, forged };
}

async function approveByBobAndCarol(repo: string, number: number): Promise<void> {
  await stack().github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
  await stack().github.submitReview(repo, number, { user: "carol", state: "APPROVED" });
  await stack().idle();
}

describe("the state block is signed: what a writer writes into it does not count", () => {
  it("a tick forged into the App's comment by a writer does not count", async () => {
    const { repo, number, forged } = await checklistPull();
    const comment = sticky(stack(), repo, number)[0]!;
    await stack().github.editComment(repo, comment.id, withState(comment.body, forged), "bob");
    await stack().idle();
    const body = sticky(stack(), repo, number)[0]!.body;
    expect(body).toContain("hidden state was not written by Changegate");
    expect(stateOf(body)).not.toBe(forged);
    await approveByBobAndCarol(repo, number);
    const { run } = check(stack(), repo, number);
    expect(run).toMatchObject({ conclusion: "failure" });
    expect(run!.output.title).toMatch(/checklist 0 of \d+ ticked/);
  });

  it("the App's own record still works: a writer's tick counts in every later evaluation", async () => {
    const { repo, number } = await checklistPull();
    const comment = sticky(stack(), repo, number)[0]!;
    await stack().github.editComment(
      repo,
      comment.id,
      comment.body.replaceAll("- [ ] ", "- [x] "),
      "bob",
    );
    await stack().idle();
    // Each review is an evaluation of its own, reading the ticks back from the signed state.
    await approveByBobAndCarol(repo, number);
    expect(check(stack(), repo, number).run).toMatchObject({ conclusion: "success" });
    expect(sticky(stack(), repo, number)[0]!.body).not.toContain("hidden state was not written");
  });

  it("a state block the App signed for another pull request does not count here", async () => {
    const first = await checklistPull();
    const comment = sticky(stack(), first.repo, first.number)[0]!;
    await stack().github.editComment(
      first.repo,
      comment.id,
      comment.body.replaceAll("- [ ] ", "- [x] "),
      "bob",
    );
    await stack().idle();
    const signed = stateOf(sticky(stack(), first.repo, first.number)[0]!.body);
    // The same change, in a second pull request of the same repository.
    stack().github.commit(first.repo, "again", { "infra/lb.tf": AFTER }, { author: "alice" });
    const { number: second } = await stack().github.openPullRequest(first.repo, {
      head: "again",
      author: "alice",
      title: "LB maintenance, again",
      body: PLANS,
    });
    await stack().idle();
    const other = sticky(stack(), first.repo, second)[0]!;
    await stack().github.editComment(first.repo, other.id, withState(other.body, signed), "carol");
    await approveByBobAndCarol(first.repo, second);
    expect(check(stack(), first.repo, second).run!.output.title).toMatch(
      /checklist 0 of \d+ ticked/,
    );
  });
});

/**
 * Pushers the App was told of by webhook live only in the state when GitHub's push record cannot
 * be read (a fork's branch; here the record answers 403). A writer who pushed under an email tied
 * to no account, then took themselves out of the state, still cannot approve.
 */
describe("a pusher taken out of the state still counts", () => {
  async function pushedByCarol(): Promise<{ repo: string; number: number; before: string }> {
    stack().github.injectFault({
      operationId: "repos/list-activities",
      status: 403,
      times: Infinity,
    });
    const repo = seedRepo(stack());
    const number = await openPull(stack(), repo, PLANS);
    const before = sticky(stack(), repo, number)[0]!.body;
    await pushUnlinked(stack(), repo, "carol");
    await stack().idle();
    return { repo, number, before };
  }

  async function expectCarolNotCounted(repo: string, number: number): Promise<void> {
    await stack().github.submitReview(repo, number, { user: "carol", state: "APPROVED" });
    await stack().github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
    await stack().idle();
    expect(check(stack(), repo, number).run!.output.title).toBe("High risk — 1 of 2 approvals");
    expect(sticky(stack(), repo, number)).toHaveLength(1);
    expect(sticky(stack(), repo, number)[0]!.body).toMatch(/carol.*❌ pushed to this pull request/);
  }

  it("when a writer puts back the state the App signed before the push", async () => {
    const { repo, number, before } = await pushedByCarol();
    const comment = sticky(stack(), repo, number)[0]!;
    await stack().github.editComment(
      repo,
      comment.id,
      withState(comment.body, stateOf(before)),
      "carol",
    );
    await expectCarolNotCounted(repo, number);
  });

  it("when a writer replaces the state with an unsigned one that names no pusher", async () => {
    const { repo, number } = await pushedByCarol();
    const comment = sticky(stack(), repo, number)[0]!;
    const blank = encodeState({ ticks: [] });
    await stack().github.editComment(repo, comment.id, withState(comment.body, blank), "carol");
    await expectCarolNotCounted(repo, number);
  });

  it("when a writer strips the comment of its marker and its state", async () => {
    const { repo, number } = await pushedByCarol();
    const comment = sticky(stack(), repo, number)[0]!;
    await stack().github.editComment(repo, comment.id, "LGTM", "carol");
    await stack().github.submitReview(repo, number, { user: "carol", state: "APPROVED" });
    await stack().github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
    await stack().idle();
    expect(check(stack(), repo, number).run!.output.title).toBe("High risk — 1 of 2 approvals");
  });

  it("when a writer deletes the App's comment: it is written again, with the pusher", async () => {
    const { repo, number } = await pushedByCarol();
    const comment = sticky(stack(), repo, number)[0]!;
    await stack().github.deleteComment(repo, comment.id, "carol");
    await expectCarolNotCounted(repo, number);
  });
});
