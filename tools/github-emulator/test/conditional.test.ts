// Conditional GETs (ETag / If-None-Match → 304) and `sort=updated` for pull request lists, as
// GitHub answers them: the App's recovery sweep relies on both to stay cheap.
import { Octokit } from "@octokit/rest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { installationOctokit } from "./helpers.js";

describe("conditional requests and pull request order", () => {
  let emu: Emulator;
  let octokit: Octokit;
  let counter = 0;

  beforeAll(async () => {
    emu = await startEmulator({ validateResponses: true });
    // The App's installation on acme comes with its first repository.
    emu.createRepo("acme/etag-0", { ownerType: "Organization", files: { "a.txt": "a\n" } });
    octokit = await installationOctokit(emu);
  });
  afterAll(() => emu.close());
  afterEach(() => {
    expect(emu.violations).toEqual([]);
  });

  /** A repository of its own with two open pull requests, from branches `one` and `two`. */
  async function twoPulls(): Promise<string> {
    const repo = `etag-${++counter}`;
    emu.createRepo(`acme/${repo}`, { ownerType: "Organization", files: { "a.txt": "a\n" } });
    for (const branch of ["one", "two"]) {
      emu.commit(`acme/${repo}`, branch, { [`${branch}.txt`]: "x\n" }, { author: "alice" });
      await emu.openPullRequest(`acme/${repo}`, { head: branch, author: "alice" });
    }
    return repo;
  }

  it("answers 304 to an unchanged resource, and 200 with a new etag once it changed", async () => {
    const repo = await twoPulls();
    const first = await octokit.rest.pulls.list({ owner: "acme", repo });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    await expect(
      octokit.rest.pulls.list({ owner: "acme", repo, headers: { "if-none-match": etag } }),
    ).rejects.toMatchObject({ status: 304 });
    await emu.push(`acme/${repo}`, "one", { "b.txt": "b\n" }, "alice");
    const changed = await octokit.rest.pulls.list({
      owner: "acme",
      repo,
      headers: { "if-none-match": etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it("sorts open pull requests by their last update", async () => {
    const repo = await twoPulls();
    await emu.push(`acme/${repo}`, "one", { "c.txt": "c\n" }, "alice");
    const byUpdate = await octokit.rest.pulls.list({
      owner: "acme",
      repo,
      sort: "updated",
      direction: "desc",
    });
    expect(byUpdate.data.map((pull) => pull.head.ref)).toEqual(["one", "two"]);
    const byNumber = await octokit.rest.pulls.list({ owner: "acme", repo });
    expect(byNumber.data.map((pull) => pull.head.ref)).toEqual(["two", "one"]);
  });
});
