import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeBranch, fileStatuses, tempRepo } from "./cli-helpers.js";

const TG = (interval: number): string =>
  `resource "aws_lb_target_group" "web" {\n  health_check {\n    interval = ${interval}\n  }\n}\n`;

describe("changegate analyze: paths git cat-file could misread", () => {
  it("reads each side by its own blob, also beside a path holding a newline and an object id", async () => {
    const { dir, git } = tempRepo("cg-odd-");
    writeFileSync(join(dir, "lb.tf"), TG(30));
    writeFileSync(join(dir, "other.tf"), TG(30));
    git("add", ".");
    git("commit", "-qm", "base");
    const blob = git("rev-parse", "HEAD:other.tf").trim();
    git("checkout", "-qb", "change");
    // A name whose second line is a blob id: read as `<rev>:<path>` lines, it is two requests.
    mkdirSync(join(dir, "x"));
    writeFileSync(join(dir, "x", `a\n${blob}`), "just text\n");
    writeFileSync(join(dir, "lb.tf"), TG(5));
    git("add", ".");
    git("commit", "-qm", "change");
    const analysis = await analyzeBranch(dir, "change");
    expect(fileStatuses(analysis)).toEqual(["lb.tf:modified"]);
    expect(analysis.findings.map((finding) => finding.file)).toContain("lb.tf");
  });

  it("skips a submodule whose commit moved (not a file) instead of failing", async () => {
    const { dir, git } = tempRepo("cg-sub-");
    writeFileSync(join(dir, "lb.tf"), TG(30));
    const commit = (n: number): string => n.toString(16).padStart(40, "0");
    git("add", ".");
    git("update-index", "--add", "--cacheinfo", `160000,${commit(1)},vendor/lib`);
    git("commit", "-qm", "base");
    git("checkout", "-qb", "change");
    git("update-index", "--cacheinfo", `160000,${commit(2)},vendor/lib`);
    writeFileSync(join(dir, "lb.tf"), TG(5));
    git("add", "lb.tf");
    git("commit", "-qm", "change");
    const analysis = await analyzeBranch(dir, "change");
    expect(fileStatuses(analysis)).toEqual(["lb.tf:modified"]);
  });
});
