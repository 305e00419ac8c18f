// Conditional GETs (ETag / If-None-Match → 304) and `sort=updated` for pull request lists, as
// GitHub answers them: the App's recovery sweep relies on both to stay cheap.
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe("conditional requests and pull request order", () => {
  let emu: Emulator;
  let octokit: Octokit;

  beforeAll(async () => {
    emu = await startEmulator({ validateResponses: true });
    emu.createRepo("acme/etag", { ownerType: "Organization", files: { "a.txt": "a\n" } });
    for (const branch of ["one", "two"]) {
      emu.commit("acme/etag", branch, { [`${branch}.txt`]: "x\n" }, { author: "alice" });
      await emu.openPullRequest("acme/etag", { head: branch, author: "alice" });
    }
    const { token } = (
      await new Octokit({
        baseUrl: emu.url,
        auth: "x.y.z",
        log: quiet,
      }).rest.apps.createInstallationAccessToken({
        installation_id: [...emu.state.installations.keys()][0]!,
      })
    ).data;
    octokit = new Octokit({ baseUrl: emu.url, auth: token, log: quiet });
  });
  afterAll(() => emu.close());

  it("answers 304 to an unchanged resource, and 200 with a new etag once it changed", async () => {
    const first = await octokit.rest.pulls.list({ owner: "acme", repo: "etag" });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    await expect(
      octokit.rest.pulls.list({ owner: "acme", repo: "etag", headers: { "if-none-match": etag } }),
    ).rejects.toMatchObject({ status: 304 });
    await emu.push("acme/etag", "one", { "b.txt": "b\n" }, "alice");
    const changed = await octokit.rest.pulls.list({
      owner: "acme",
      repo: "etag",
      headers: { "if-none-match": etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(emu.violations).toEqual([]);
  });

  it("sorts open pull requests by their last update", async () => {
    await emu.push("acme/etag", "one", { "c.txt": "c\n" }, "alice");
    const byUpdate = await octokit.rest.pulls.list({
      owner: "acme",
      repo: "etag",
      sort: "updated",
      direction: "desc",
    });
    expect(byUpdate.data.map((pull) => pull.head.ref)).toEqual(["one", "two"]);
    const byNumber = await octokit.rest.pulls.list({ owner: "acme", repo: "etag" });
    expect(byNumber.data.map((pull) => pull.head.ref)).toEqual(["two", "one"]);
  });
});
