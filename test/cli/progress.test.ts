import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { repoRoot } from "../helpers.js";
import { tempRepo } from "./cli-helpers.js";

let repo: string;

beforeAll(() => {
  const { dir, git } = tempRepo("cg-progress-");
  repo = dir;
  const before = readFileSync(join(repoRoot, "examples/postmortem/before.tf"), "utf8");
  const after = readFileSync(join(repoRoot, "examples/postmortem/after.tf"), "utf8");
  for (const name of ["a", "b", "c"]) writeFileSync(join(dir, `${name}.tf`), before);
  git("add", ".");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "change");
  for (const name of ["a", "b", "c"]) writeFileSync(join(dir, `${name}.tf`), after);
  git("commit", "-qam", "change");
});

/** `analyze` with stderr as a terminal or a pipe: what it wrote there. */
async function stderrOf(isTTY: boolean): Promise<{ code: number; err: string; out: string }> {
  let out = "";
  let err = "";
  const code = await main(["analyze", "--repo", repo, "--base", "main", "--head", "change"], {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    errIsTTY: isTTY,
  });
  return { code, err, out };
}

describe("changegate analyze: progress", () => {
  it("counts files done / total on a terminal, in place, and clears the line at the end", async () => {
    const { code, err, out } = await stderrOf(true);
    expect(code).toBe(0);
    expect(JSON.parse(out).files).toHaveLength(3);
    // The progress line, cleared, then the line naming the policy.
    const policyAt = err.indexOf("changegate: policy: ");
    expect(err.slice(policyAt)).toMatch(/^changegate: policy: [^\n]+\n$/);
    const progress = err.slice(0, policyAt);
    for (const step of [
      "read 0/3 files",
      "read 3/3 files",
      "analyzed 1/3 files",
      "analyzed 3/3 files",
    ])
      expect(progress).toContain(`\rchangegate: ${step}`);
    expect(progress).not.toContain("\n");
    expect(progress.endsWith("\r\u001b[K")).toBe(true);
  });

  it("writes nothing but the policy line when stderr is a pipe", async () => {
    const { err } = await stderrOf(false);
    expect(err).not.toContain("\r");
    expect(err.trim().split("\n")).toHaveLength(1);
  });
});
