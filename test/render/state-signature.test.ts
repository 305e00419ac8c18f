import { describe, expect, it } from "vitest";
import { decodeState, encodeState, type CommentState } from "../../src/render/comment-state.js";

// The sticky comment's state block carries the App's HMAC (docs/security.md): a block that does
// not verify counts only where it adds requirements (its pushers), never where it would weaken
// the gate (ticks, the override's binding, the follow-up issue).

const seal = { key: "the App's key", pull: "acme/web#7" };
const state: CommentState = {
  ticks: [
    { item: "Check the pool", checkedBy: "bob", permission: "write", headSha: "a".repeat(40) },
  ],
  followUpIssue: 12,
  override: { actor: "ada", createdAt: "2026-01-01T00:00:00Z", changeSet: "c".repeat(64) },
  pushers: [{ login: "carol", headSha: "b".repeat(40) }],
};
const WEAKER = { ticks: [], pushers: state.pushers, unverified: true };

/** The block with its payload replaced (the signature left as it was). */
function tampered(block: string, next: CommentState): string {
  const payload = /changegate:state (\S+)/.exec(encodeState(next))![1]!;
  return block.replace(/changegate:state \S+/, `changegate:state ${payload}`);
}

describe("the state block's signature", () => {
  it("reads back whole what the App signed for this pull request", () => {
    expect(decodeState(`text ${encodeState(state, seal)} text`, seal)).toEqual(state);
  });

  it.each([
    ["unsigned", encodeState(state)],
    ["signed with another key", encodeState(state, { ...seal, key: "another key" })],
    ["signed for another pull request", encodeState(state, { ...seal, pull: "acme/web#8" })],
    ["with its signature cut", encodeState(state, seal).replace(/ [0-9a-f]{64} -->/, " -->")],
  ])("keeps only the pushers of a block %s", (_, block) => {
    expect(decodeState(block, seal)).toEqual(WEAKER);
  });

  it("keeps only the pushers of a block whose payload was changed after signing", () => {
    const signed = encodeState({ ticks: [], pushers: state.pushers }, seal);
    const forged = tampered(signed, state);
    expect(decodeState(forged, seal)).toEqual(WEAKER);
  });

  it("verifies nothing without the key (the CLI)", () => {
    expect(decodeState(encodeState(state, seal))).toEqual(WEAKER);
  });

  it("names the pull request case-insensitively, as GitHub does", () => {
    const block = encodeState(state, seal);
    expect(decodeState(block, { ...seal, pull: "ACME/Web#7" })).toEqual(state);
  });

  it("reads no block as the empty state, not as an unverified one", () => {
    expect(decodeState("no state here", seal)).toEqual({ ticks: [] });
  });
});
