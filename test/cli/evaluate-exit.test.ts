import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";
import { run } from "./cli-helpers.js";

const fixture = (name: string) => join(repoRoot, "test/fixtures/snapshots", `${name}.json`);

describe("changegate evaluate: exit codes", () => {
  it("exits 1 on a failing verdict, so that a script can gate on it", async () => {
    const { code, out } = await run("evaluate", "--snapshot", fixture("postmortem-blocked"));
    expect(JSON.parse(out).verdict.conclusion).toBe("failure");
    expect(code).toBe(1);
  });

  it("exits 0 on a passing verdict", async () => {
    expect((await run("evaluate", "--snapshot", fixture("postmortem-approved"))).code).toBe(0);
    expect((await run("evaluate", "--snapshot", fixture("emergency-override"))).code).toBe(0);
  });

  it("exits 1 on a passing verdict whose risk reaches --fail-on, 0 below it", async () => {
    const approved = fixture("postmortem-approved");
    expect((await run("evaluate", "--snapshot", approved, "--fail-on", "high")).code).toBe(1);
    expect((await run("evaluate", "--snapshot", approved, "--fail-on", "critical")).code).toBe(0);
  });
});
