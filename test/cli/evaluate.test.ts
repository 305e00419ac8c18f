import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../tools/demo/stack.js";
import { main } from "../../src/cli/main.js";
import { repoRoot } from "../helpers.js";
import { openPull, PLANS, seedRepo } from "../e2e/fixture.js";
import { run } from "./cli-helpers.js";

const fixture = (name: string) => join(repoRoot, "test/fixtures/snapshots", `${name}.json`);

describe("changegate evaluate --snapshot", () => {
  it.each([
    [
      "postmortem-blocked",
      "failure",
      "High risk — 0 of 2 approvals, test plan missing, rollback plan missing",
    ],
    ["postmortem-approved", "success", "High risk — all requirements met"],
    ["emergency-override", "success", "Emergency override by @dave — high risk, gates bypassed"],
  ])("%s → %s", async (name, conclusion, title) => {
    const { code, out, err } = await run("evaluate", "--snapshot", fixture(name));
    expect(err).toBe("");
    expect(code).toBe(conclusion === "failure" ? 1 : 0);
    const json = JSON.parse(out);
    expect(json.verdict).toMatchObject({ conclusion, title });
    expect(json.verdict.gates.map((gate: { gate: string }) => gate.gate)).toContain("approvals");
  });

  it("prints markdown with the gates", async () => {
    const { out } = await run(
      "evaluate",
      "--snapshot",
      fixture("postmortem-blocked"),
      "--format",
      "markdown",
    );
    expect(out).toContain("## Verdict");
    expect(out).toContain("❌ **Approvals**");
  });

  it("fails closed on an invalid policy and exits 1 with --fail-on", async () => {
    const { code, out } = await run(
      "evaluate",
      "--snapshot",
      fixture("policy-invalid"),
      "--fail-on",
      "high",
    );
    expect(JSON.parse(out).verdict).toMatchObject({
      conclusion: "failure",
      error: { code: "policy.invalid" },
    });
    expect(code).toBe(1);
  });

  it("names the file and line of a bad snapshot", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cg-snap-"));
    writeFileSync(
      join(dir, "bad.json"),
      '{\n  "repository": "acme/web",\n  "pull": {\n    "number": "x"\n  }\n}\n',
    );
    const { code, err } = await run("evaluate", "--snapshot", join(dir, "bad.json"));
    expect(code).toBe(2);
    expect(err).toMatch(/bad\.json:4: pull\.number: /);
    writeFileSync(join(dir, "broken.json"), '{\n  "repository": \n');
    expect((await run("evaluate", "--snapshot", join(dir, "broken.json"))).err).toMatch(
      /broken\.json:3: not valid JSON/,
    );
    expect((await run("evaluate")).code).toBe(2);
  });
});

describe("changegate snapshot / evaluate --pr against the emulator", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("loads a live PR through the App's loader and evaluates it", async () => {
    const repo = seedRepo(stack);
    const number = await openPull(stack, repo, PLANS);
    await stack.github.submitReview(repo, number, { user: "bob", state: "APPROVED" });
    const env = { GITHUB_TOKEN: stack.github.userToken("bob") };
    const saved = process.env.GITHUB_TOKEN;
    process.env.GITHUB_TOKEN = env.GITHUB_TOKEN;
    try {
      let out = "";
      const io = {
        out: (text: string) => void (out += text),
        err: (text: string) => void (out += text),
      };
      expect(await main(["snapshot", `${repo}#${number}`, "--api-url", stack.github.url], io)).toBe(
        0,
      );
      const snapshot = JSON.parse(out);
      expect(snapshot).toMatchObject({
        repository: repo,
        pull: { number, author: "alice" },
        files: [{ path: "infra/lb.tf", status: "modified" }],
      });
      // The CLI names no App, so the App's own suggested-fixes review is listed too: as a bot's
      // comment, which never counts as an approval.
      expect(snapshot.reviews.filter((review: { bot: boolean }) => !review.bot)).toMatchObject([
        { user: "bob", state: "APPROVED", permission: "write" },
      ]);
      expect(snapshot.reviews.filter((review: { bot: boolean }) => review.bot)).toMatchObject([
        { user: "changegate[bot]", state: "COMMENTED" },
      ]);
      out = "";
      expect(
        await main(["evaluate", "--pr", `${repo}#${number}`, "--api-url", stack.github.url], io),
      ).toBe(1);
      expect(JSON.parse(out).verdict.title).toBe("High risk — 1 of 2 approvals");
      expect(stack.github.violations).toEqual([]);
    } finally {
      process.env.GITHUB_TOKEN = saved;
    }
  });

  it("needs a token and a well-formed reference", async () => {
    const saved = process.env.GITHUB_TOKEN;
    delete process.env.GITHUB_TOKEN;
    delete process.env.GH_TOKEN;
    try {
      expect(await run("snapshot", "acme/web#1")).toMatchObject({
        code: 2,
        err: expect.stringContaining("GITHUB_TOKEN"),
      });
      process.env.GITHUB_TOKEN = "x";
      expect(await run("snapshot", "acme-web-1")).toMatchObject({
        code: 2,
        err: expect.stringContaining("OWNER/REPO#NUMBER"),
      });
    } finally {
      process.env.GITHUB_TOKEN = saved;
    }
  });
});
