import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import type { PullSnapshot } from "../../src/gates/snapshot.js";

// Saved snapshots in the form of docs/snapshot.md (also replayed by `changegate evaluate --snapshot` tests).
const DIR = new URL("../fixtures/snapshots/", import.meta.url);

function load(name: string): PullSnapshot {
  return JSON.parse(readFileSync(new URL(`${name}.json`, DIR), "utf8")) as PullSnapshot;
}

const EXPECTED: Record<
  string,
  { conclusion: "success" | "failure"; title: string; error?: string }
> = {
  "postmortem-blocked": {
    conclusion: "failure",
    title: "High risk — 0 of 2 approvals, test plan missing, rollback plan missing",
  },
  "postmortem-approved": { conclusion: "success", title: "High risk — all requirements met" },
  "emergency-override": {
    conclusion: "success",
    title: "Emergency override by @dave — high risk, gates bypassed",
  },
  "policy-invalid": {
    conclusion: "failure",
    title:
      'Policy file invalid — .github/changegate.yml line 3: requirements.high.approvals: expected a whole number from 0 to 20, got "many"',
    error: "policy.invalid",
  },
};

describe("snapshot fixtures", () => {
  it("has an expectation for every fixture", () => {
    const names = readdirSync(DIR)
      .filter((file) => file.endsWith(".json"))
      .map((file) => file.slice(0, -5));
    expect(names.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s", (name, expected) => {
    const { verdict } = evaluate(load(name));
    expect(verdict.conclusion).toBe(expected.conclusion);
    expect(verdict.title).toBe(expected.title);
    expect(verdict.error?.code).toBe(expected.error);
  });

  it("postmortem-approved keeps bob's approval of h1 across a docs-only push", () => {
    const { verdict } = evaluate(load("postmortem-approved"));
    expect(verdict.approvals).toMatchObject([
      {
        user: "bob",
        counted: true,
        reason: "counted (approved h1; the infrastructure change is the same since)",
      },
      { user: "carol", counted: true, reason: "counted" },
    ]);
    expect(verdict.testPlanLinks).toEqual(["https://ci.acme.dev/runs/4711", "OPS-42"]);
  });

  it("postmortem-blocked ignores the author's own approval", () => {
    const { verdict } = evaluate(load("postmortem-blocked"));
    expect(verdict.approvals[0]).toMatchObject({
      user: "alice",
      counted: false,
      reason: "author of the pull request",
    });
  });
});
