import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GitError, readBlobs } from "../../src/git/local.js";
import { tempRepo } from "./cli-helpers.js";

describe("readBlobs: the one git cat-file reader", () => {
  it("reads blobs by id, and refuses more than its bound in one line instead of running out of memory", async () => {
    const { dir, git } = tempRepo("cg-blobs-");
    writeFileSync(join(dir, "big.yaml"), "x".repeat(5000));
    writeFileSync(join(dir, "small.yaml"), "a: 1\n");
    git("add", ".");
    git("commit", "-qm", "blobs");
    const big = git("rev-parse", "HEAD:big.yaml").trim();
    const small = git("rev-parse", "HEAD:small.yaml").trim();
    expect(await readBlobs(dir, [small])).toEqual(["a: 1\n"]);
    const refused = await readBlobs(dir, [small, big], 4096).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GitError);
    expect((refused as Error).message).toBe(
      "the change's files are over 4 KiB together (git cat-file): too large to analyse at once",
    );
  });

  it("refuses what is not an object id (a request per line must stay one)", async () => {
    await expect(readBlobs(".", ["HEAD:a\nb"])).rejects.toThrow('not an object id: "HEAD:a\\nb"');
  });
});
