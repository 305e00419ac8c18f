/**
 * `changegate analyze` judges a rename by both names (issue 10, item 1): renamed away from
 * infrastructure is a removal, renamed into it is an addition.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";
import { analyzeBranch, fileStatuses, tempRepo } from "./cli-helpers.js";

const BEFORE = readFileSync(join(repoRoot, "examples/postmortem/before.tf"));
let repo: string;
let git: (...args: string[]) => string;

beforeAll(() => {
  ({ dir: repo, git } = tempRepo("cg-renames-"));
  mkdirSync(join(repo, "infra"));
  writeFileSync(join(repo, "infra/lb.tf"), BEFORE);
  writeFileSync(join(repo, "infra/old.tf.disabled"), BEFORE);
  writeFileSync(join(repo, "policy.yml"), "files:\n  exclude:\n    - legacy/**\n");
  git("add", ".");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "away");
  git("mv", "infra/lb.tf", "infra/lb.tf.bak");
  git("commit", "-qm", "park the load balancer");
  git("checkout", "-qb", "excluded", "main");
  mkdirSync(join(repo, "legacy"));
  git("mv", "infra/lb.tf", "legacy/lb.tf");
  git("commit", "-qm", "move it under an excluded path");
  git("checkout", "-qb", "into", "main");
  git("mv", "infra/old.tf.disabled", "infra/old.tf");
  git("commit", "-qm", "turn the old one on");
  git("checkout", "-qb", "reformat", "main");
  git("mv", "infra/lb.tf", "infra/lb.tf.json");
  git("commit", "-qm", "rename it as Terraform JSON");
});

async function analyze(head: string): Promise<string[]> {
  return fileStatuses(await analyzeBranch(repo, head, "--config", join(repo, "policy.yml")));
}

describe("changegate analyze: renames", () => {
  it("a file renamed to a name that is not infrastructure is removed", async () => {
    expect(await analyze("away")).toEqual(["infra/lb.tf:removed"]);
  });

  it("a file moved under an excluded path is removed", async () => {
    expect(await analyze("excluded")).toEqual(["infra/lb.tf:removed"]);
  });

  it("a file renamed into infrastructure is added", async () => {
    expect(await analyze("into")).toEqual(["infra/old.tf:added"]);
  });

  it("a file renamed to another format's name is the old file removed and the new one added", async () => {
    expect(await analyze("reformat")).toEqual(["infra/lb.tf:removed", "infra/lb.tf.json:added"]);
  });
});
