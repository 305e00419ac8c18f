// What `changegate audit` reads: the App's JWT, and a comment's whole edit history past GraphQL's
// first 100 edits (docs/audit.md).
import { createVerify, generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "@changegate/github-emulator";
import { recordComments } from "../../src/github/audit.js";
import { appJwt, installationToken, installedRepositories } from "../../src/github/audit-app.js";
import type { GitHubClient } from "../../src/github/client.js";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe("appJwt", () => {
  it("is an RS256 JWT the App's public key verifies, issued 60 s back, expiring within 10 minutes", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const now = Date.UTC(2026, 11, 2, 17, 0, 0);
    const [header, payload, signature] = appJwt("42", privateKey, now).split(".") as [
      string,
      string,
      string,
    ];
    expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({
      alg: "RS256",
      typ: "JWT",
    });
    expect(JSON.parse(Buffer.from(payload, "base64url").toString())).toEqual({
      iat: now / 1000 - 60,
      exp: now / 1000 + 540,
      iss: "42",
    });
    const verifier = createVerify("RSA-SHA256").update(`${header}.${payload}`);
    expect(verifier.verify(publicKey, Buffer.from(signature, "base64url"))).toBe(true);
  });
});

describe("recordComments", () => {
  let github: Emulator;
  beforeAll(async () => {
    github = await startEmulator();
  });
  afterAll(async () => {
    await github?.close();
  });

  it("reads every editor of a comment edited more than 100 times, through node(id)", async () => {
    github.createRepo("acme/web", { ownerType: "Organization", files: { "a.tf": "a = 1\n" } });
    github.commit("acme/web", "change", { "a.tf": "a = 2\n" }, "alice");
    const { number } = await github.openPullRequest("acme/web", {
      head: "change",
      author: "alice",
    });
    const { id } = await github.comment(
      "acme/web",
      number,
      "<!-- changegate:merge-record v1\n{}\n-->",
      "alice",
    );
    const octokit = new Octokit({ baseUrl: github.url, auth: github.userToken("bob"), log: quiet });
    for (let i = 0; i < 120; i++)
      await octokit.rest.issues.updateComment({
        owner: "acme",
        repo: "web",
        comment_id: id,
        body: `<!-- changegate:merge-record v1\n{"n":${i}}\n-->`,
      });
    const { comments } = await recordComments(octokit, "acme/web", number);
    expect(comments).toHaveLength(1);
    // `editor`, then the 120 edits and the original.
    expect(comments[0]!.editors).toHaveLength(122);
    expect(comments[0]!.editors.slice(0, 2)).toEqual([
      { login: "bob", type: "User" },
      { login: "bob", type: "User" },
    ]);
    expect(comments[0]!.editors.at(-1)).toEqual({ login: "alice", type: "User" });
    expect(github.violations).toEqual([]);
  });
});

describe("installation tokens for a long audit", () => {
  /** A fake App client: mints tokens that expire `lifeMs` after `now()`, counting the mints. */
  function minting(now: () => number, lifeMs: number) {
    const minted: number[] = [];
    const client = () =>
      ({
        request: async (_route: string, params: { installation_id: number }) => {
          minted.push(params.installation_id);
          return {
            data: {
              token: `ghs_${params.installation_id}_${minted.length}`,
              expires_at: new Date(now() + lifeMs).toISOString(),
            },
          };
        },
      }) as unknown as GitHubClient;
    return { client, minted };
  }

  it("mints once, then again only when less than five minutes are left", async () => {
    let clock = Date.parse("2026-12-02T10:00:00Z");
    const { client, minted } = minting(() => clock, 60 * 60_000);
    const token = installationToken(client, 7, () => clock);
    expect(await token()).toBe("ghs_7_1");
    clock += 50 * 60_000;
    expect(await token()).toBe("ghs_7_1");
    clock += 6 * 60_000; // 4 minutes left
    expect(await token()).toBe("ghs_7_2");
    expect(minted).toEqual([7, 7]);
  });

  it("names an installation it cannot read and lists the others' repositories", async () => {
    const app = () =>
      ({
        paginate: async () => [
          { id: 1, account: { login: "acme" } },
          { id: 2, account: { login: "suspended-org" } },
        ],
        request: async (_route: string, params: { installation_id: number }) => ({
          data: { token: `t${params.installation_id}`, expires_at: "2099-01-01T00:00:00Z" },
        }),
      }) as unknown as GitHubClient;
    const withToken = (token: () => Promise<string>) =>
      ({
        paginate: async () => {
          if ((await token()) === "t2")
            throw Object.assign(new Error("This installation has been suspended"), {
              status: 403,
            });
          return [{ full_name: "acme/web" }];
        },
      }) as unknown as GitHubClient;
    const found = await installedRepositories(app, withToken);
    expect(found.repositories.map((one) => one.repository)).toEqual(["acme/web"]);
    expect(found.unreadable).toEqual([
      {
        installation: "installation 2 (suspended-org)",
        reason: expect.stringContaining("suspended"),
      },
    ]);
  });
});
