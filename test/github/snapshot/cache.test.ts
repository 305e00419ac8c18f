import { describe, expect, it } from "vitest";
import { LruCache, SnapshotCache, withContentCache } from "../../../src/github/snapshot/cache.js";
import type { GitHubClient } from "../../../src/github/client.js";
import { fileText } from "../../../src/github/snapshot/contents.js";
import { mergeBaseCandidates } from "../../../src/github/snapshot/graphql/merge-base.js";

const sha = (n: number) => n.toString(16).padStart(40, "0");

describe("LruCache", () => {
  it("evicts the least recently used entry beyond the entry bound", () => {
    const cache = new LruCache<string>({ maxBytes: 1e6, maxEntries: 2 }, (v) => v.length);
    cache.set("a", "1");
    cache.set("b", "2");
    expect(cache.get("a")).toBe("1"); // a is now the most recent
    cache.set("c", "3");
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual(["1", undefined, "3"]);
    expect(cache.stats()).toMatchObject({ entries: 2, evictions: 1 });
  });

  it("evicts beyond the byte bound and never stores a value larger than the bound", () => {
    const cache = new LruCache<string>({ maxBytes: 300, maxEntries: 100 }, (v) => v.length);
    cache.set("a", "x".repeat(100)); // 2 + 100 + 64 bytes
    cache.set("b", "y".repeat(100));
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toBeDefined();
    cache.set("huge", "z".repeat(1000));
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.stats().bytes).toBeLessThanOrEqual(300);
  });
});

describe("SnapshotCache", () => {
  it("keeps files only at full commit ids, per repository", () => {
    const cache = new SnapshotCache();
    cache.setFileAt("acme/web", "main", "lb.tf", "a");
    cache.setFileAt("acme/web", sha(1), "lb.tf", "b");
    cache.setFileAt("acme/web", sha(1), "gone.tf", null);
    expect(cache.fileAt("acme/web", "main", "lb.tf")).toBeUndefined();
    expect(cache.fileAt("ACME/web", sha(1), "lb.tf")).toBe("b");
    expect(cache.fileAt("acme/web", sha(1), "gone.tf")).toBeNull();
    expect(cache.fileAt("acme/api", sha(1), "lb.tf")).toBeUndefined();
  });

  it("answers fileText from the cache at commit ids, including a cached 404", async () => {
    const asked: string[] = [];
    const client = {
      request: async (_route: string, params: { path: string; ref: string }) => {
        asked.push(`${params.ref}:${params.path}`);
        if (params.path === "gone.tf") throw Object.assign(new Error("Not Found"), { status: 404 });
        return {
          data: {
            type: "file",
            encoding: "base64",
            content: Buffer.from("text é").toString("base64"),
          },
        };
      },
    } as unknown as GitHubClient;
    const cached = withContentCache(client, new SnapshotCache());
    for (let i = 0; i < 2; i++) {
      expect(await fileText(cached, "acme", "web", "lb.tf", sha(2))).toBe("text é");
      expect(await fileText(cached, "acme", "web", "gone.tf", sha(2))).toBeNull();
      expect(await fileText(cached, "acme", "web", "lb.tf", "main")).toBe("text é");
    }
    expect(asked).toEqual([`${sha(2)}:lb.tf`, `${sha(2)}:gone.tf`, "main:lb.tf", "main:lb.tf"]);
  });
});

describe("mergeBaseCandidates", () => {
  const [fork, base, h1, h2, merge] = [1, 2, 3, 4, 5].map(sha) as [
    string,
    string,
    string,
    string,
    string,
  ];

  it("is the one boundary commit of a linear branch", () => {
    const commits = [
      { oid: h1, parents: [fork] },
      { oid: h2, parents: [h1] },
    ];
    expect(mergeBaseCandidates(commits, true, base, h2)).toEqual([fork]);
    expect(mergeBaseCandidates(commits, true, base, h1)).toEqual([fork]);
  });

  it("is the base tip once the base was merged in, and unknown when it cannot tell", () => {
    const commits = [
      { oid: h1, parents: [fork] },
      { oid: merge, parents: [h1, base] },
    ];
    expect(mergeBaseCandidates(commits, true, base, merge)).toEqual([base]);
    expect(mergeBaseCandidates(commits, true, sha(9), merge).sort()).toEqual([fork, base]);
    expect(mergeBaseCandidates(commits, false, base, merge)).toEqual([]);
    expect(mergeBaseCandidates([{ oid: h1, parents: null }], true, base, h1)).toEqual([]);
    expect(mergeBaseCandidates(commits, true, base, sha(8))).toEqual([]);
  });
});
