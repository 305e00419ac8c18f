// Issue 10, item 30: a required check is matched by name, so any App or workflow could post a green
// `Changegate`; docs/install.md must tell operators to pin the check's source to the Changegate App,
// both in branch protection and in rulesets, with GitHub's pages for each.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";

const install = readFileSync(join(repoRoot, "docs/install.md"), "utf8");

describe("docs/install.md", () => {
  it("pins the required check to the Changegate App in branch protection and rulesets", () => {
    expect(install).toMatch(/Pin the check to the Changegate App/);
    expect(install).toMatch(/expected source/);
    expect(install).toMatch(/"app_id": YOUR_APP_ID/);
    expect(install).toMatch(/`integration_id`/);
    expect(install).toContain(
      "https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/available-rules-for-rulesets#require-status-checks-to-pass-before-merging",
    );
    expect(install).toContain("https://docs.github.com/en/rest/branches/branch-protection");
  });

  it("lists every event app.yml subscribes to", () => {
    const appYml = readFileSync(join(repoRoot, "app.yml"), "utf8");
    const events = /default_events:\n((?:\s+(?:-|#).*\n)+)/
      .exec(appYml)![1]!
      .split("\n")
      .map((line) => /^\s+-\s+(\w+)/.exec(line)?.[1])
      .filter((event): event is string => Boolean(event));
    expect(events).toContain("membership");
    for (const event of events) expect(install).toContain(`\`${event}\``);
  });
});
