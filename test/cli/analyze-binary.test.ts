import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";
import { analyzeBranch, tempRepo } from "./cli-helpers.js";

const TEXT = readFileSync(join(repoRoot, "examples/postmortem/before.tf"), "utf8");
const BINARY = 'resource "aws_lb" "x" {\0}\n';

/** `lb.tf` on main, then on the branch `change`: the file.encoding finding's message. */
async function encodingMessage(before: string, after: string): Promise<string | undefined> {
  const { dir, git } = tempRepo("cg-binary-");
  writeFileSync(join(dir, "lb.tf"), before);
  git("add", ".");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "change");
  writeFileSync(join(dir, "lb.tf"), after);
  git("commit", "-qam", "change");
  const analysis = await analyzeBranch<{ findings: { rule: string; message: string }[] }>(
    dir,
    "change",
  );
  return analysis.findings.find((finding) => finding.rule === "file.encoding")?.message;
}

describe("changegate analyze: a binary side", () => {
  it("blames NUL bytes before the change on the version replaced, not on the new text", async () => {
    expect(await encodingMessage(BINARY, TEXT)).toMatch(
      /^lb\.tf held NUL bytes before this change: the version it replaces is binary/,
    );
  });

  it("says the file is binary when the change makes it so", async () => {
    expect(await encodingMessage(TEXT, BINARY)).toMatch(/^lb\.tf holds NUL bytes: it is binary/);
  });
});
