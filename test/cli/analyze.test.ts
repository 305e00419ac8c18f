import { execFileSync } from "node:child_process";
import { writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";
import { analyzeBranch, fileStatuses, run, tempRepo } from "./cli-helpers.js";

let repo: string;
let git: (...args: string[]) => string;

beforeAll(() => {
  ({ dir: repo, git } = tempRepo("cg-repo-"));
  mkdirSync(join(repo, "infra"));
  writeFileSync(
    join(repo, "infra/lb.tf"),
    readFileSync(join(repoRoot, "examples/postmortem/before.tf")),
  );
  writeFileSync(join(repo, "README.md"), "hello\n");
  writeFileSync(join(repo, "package.json"), '{"name": "x"}\n');
  git("add", ".");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "change");
  writeFileSync(
    join(repo, "infra/lb.tf"),
    readFileSync(join(repoRoot, "examples/postmortem/after.tf")),
  );
  writeFileSync(join(repo, "README.md"), "hello again\n");
  writeFileSync(join(repo, "package.json"), '{"name": "y"}\n');
  git("mv", "infra/lb.tf", "infra/alb.tf");
  git("add", ".");
  git("commit", "-qm", "change");
});

describe("changegate analyze", () => {
  it("analyzes only infrastructure files between the merge base and head, following renames", async () => {
    const json = await analyzeBranch(repo, "change");
    expect(fileStatuses(json)).toEqual(["infra/alb.tf:modified"]);
    expect(json.risk).toBe("high");
  });

  it("writes SARIF with a result per finding", async () => {
    const sarif = JSON.parse(
      (
        await run(
          "analyze",
          "--repo",
          repo,
          "--base",
          "main",
          "--head",
          "change",
          "--format",
          "sarif",
        )
      ).out,
    );
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results[0]).toMatchObject({
      ruleId: "lb.health-check.detection-too-fast",
      level: "error",
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "infra/alb.tf" },
            region: { startLine: 11 },
          },
        },
      ],
    });
  });

  it("honours --fail-on and reports a bad ref in one line with exit 2", async () => {
    expect(
      (
        await run(
          "analyze",
          "--repo",
          repo,
          "--base",
          "main",
          "--head",
          "change",
          "--fail-on",
          "medium",
        )
      ).code,
    ).toBe(1);
    const bad = await run("analyze", "--repo", repo, "--base", "main", "--head", "nope");
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split("\n")).toHaveLength(1);
  });
});

describe("the installed binary", () => {
  it("answers --help", () => {
    const out = execFileSync("node", [join(repoRoot, "bin/changegate.js"), "--help"], {
      encoding: "utf8",
    });
    expect(out).toContain("Usage: changegate");
    expect(out).toContain("diff");
  });
});
