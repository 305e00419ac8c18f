import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  blobSha,
  diffTrees,
  mergeBase,
  pullChanges,
  resolveRef,
  startEmulator,
  type Emulator,
} from "../src/index.js";
import { mergeTrees } from "../src/state/git.js";
import { filePatch } from "../src/state/patch.js";

describe("emulator git semantics", () => {
  it("computes git's blob ids", () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(blobSha("hello\n")).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
  });

  it("detects renames (exact and similar) and sorts changes", () => {
    const before = new Map([
      ["a.yaml", "x: 1\ny: 2\nz: 3\nw: 4\n"],
      ["b.txt", "same\n"],
      ["gone.txt", "bye\n"],
    ]);
    const after = new Map([
      ["moved/a.yaml", "x: 1\ny: 2\nz: 3\nw: 5\n"],
      ["c.txt", "same\n"],
      ["new.txt", "hi\n"],
    ]);
    expect(diffTrees(before, after).map((c) => [c.filename, c.status, c.previousFilename])).toEqual(
      [
        ["c.txt", "renamed", "b.txt"],
        ["gone.txt", "removed", undefined],
        ["moved/a.yaml", "renamed", "a.yaml"],
        ["new.txt", "added", undefined],
      ],
    );
  });

  it("writes GitHub-style patches", () => {
    expect(filePatch("a\nb\nc\n", "a\nB\nc\n")).toEqual({
      patch: "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c",
      additions: 1,
      deletions: 1,
    });
    expect(filePatch("", "new\n")).toMatchObject({ additions: 1, deletions: 0 });
  });

  it("merges trees three ways, ours winning conflicts", () => {
    const base = new Map([
      ["f", "0"],
      ["g", "0"],
      ["h", "0"],
    ]);
    const ours = new Map([
      ["f", "ours"],
      ["g", "0"],
      ["h", "0"],
    ]);
    const theirs = new Map([
      ["f", "theirs"],
      ["g", "theirs"],
      ["i", "new"],
    ]);
    expect(Object.fromEntries(mergeTrees(base, ours, theirs))).toEqual({
      f: "ours",
      g: "theirs",
      i: "new",
    });
  });

  describe("through the scenario API", () => {
    let emu: Emulator;
    beforeAll(async () => {
      emu = await startEmulator();
    });
    afterAll(() => emu.close());

    it("resolves refs, finds merge bases, and keeps a PR's change set when the base is merged in", async () => {
      const repo = emu.createRepo("acme/ops", {
        files: { "lb.tf": "interval = 30\n", "README.md": "r\n" },
      });
      const root = repo.branches.get("main")!;
      const h1 = emu.commit(repo, "feat", { "lb.tf": "interval = 5\n" }, "alice");
      const { number } = await emu.openPullRequest(repo, { head: "feat", author: "alice" });
      const b1 = emu.commit(repo, "main", { "README.md": "r2\n" }, "bob");

      expect(resolveRef(repo, "feat")).toBe(h1);
      expect(resolveRef(repo, "refs/heads/main")).toBe(b1);
      expect(resolveRef(repo, h1.slice(0, 8))).toBe(h1);
      expect(resolveRef(repo, "nope")).toBeUndefined();
      expect(mergeBase(repo, h1, b1)).toBe(root);

      const pr = emu.pull(repo, number);
      expect(pr.base.sha).toBe(b1);
      expect(pullChanges(repo, pr).map((c) => c.filename)).toEqual(["lb.tf"]);
      const { sha } = await emu.mergeBaseIntoHead(repo, number, "alice");
      expect(repo.commits.get(sha)!.parents).toEqual([h1, b1]);
      expect(mergeBase(repo, sha, b1)).toBe(b1);
      expect(pullChanges(repo, emu.pull(repo, number)).map((c) => [c.filename, c.after])).toEqual([
        ["lb.tf", "interval = 5\n"],
      ]);
    });
  });
});
