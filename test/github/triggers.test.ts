import { describe, expect, it } from "vitest";
import { isWriter, mergeRequests, parseCommand } from "../../src/github/triggers.js";

const edit = (sender: string) => ({ commentId: 1, previousBody: "a", newBody: "b", sender });

describe("mergeRequests", () => {
  it("keeps every checklist edit of a coalesced burst, in order, and explain once asked", () => {
    const merged = mergeRequests(
      { reason: "checklist edited", tickEdits: [edit("bob")], explain: true },
      { reason: "checklist edited", tickEdits: [edit("carol")] },
    );
    expect(merged).toEqual({
      reason: "checklist edited",
      explain: true,
      tickEdits: [edit("bob"), edit("carol")],
    });
  });

  it("lets the latest event's reason and head win", () => {
    expect(mergeRequests({ reason: "a", headSha: "1" }, { reason: "b", headSha: "2" })).toEqual({
      reason: "b",
      headSha: "2",
    });
  });
});

describe("commands and permissions", () => {
  it("parses the first /changegate command", () => {
    expect(parseCommand("thanks!\n/changegate Recheck please")).toBe("recheck");
    expect(parseCommand("no command here")).toBeUndefined();
  });
  it.each([
    ["admin", true],
    ["maintain", true],
    ["write", true],
    ["triage", false],
    ["read", false],
  ])("%s is a writer: %s", (permission, writer) => {
    expect(isWriter(permission)).toBe(writer);
  });
});
