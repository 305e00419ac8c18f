import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localChange } from "../../src/git/local.js";
import { repoRoot } from "../helpers.js";
import { tempRepo } from "./cli-helpers.js";

const selection = { include: [], exclude: [], formatOverride: () => undefined };

describe("localChange: reads only the files that may be infrastructure", () => {
  it("leaves a README, an image and package.json unread, as the App does (couldBeInfraFile)", async () => {
    const { dir, git } = tempRepo("cg-reads-");
    const before = readFileSync(join(repoRoot, "examples/postmortem/before.tf"), "utf8");
    const after = readFileSync(join(repoRoot, "examples/postmortem/after.tf"), "utf8");
    writeFileSync(join(dir, "lb.tf"), before);
    git("add", ".");
    git("commit", "-qm", "base");
    git("checkout", "-qb", "change");
    writeFileSync(join(dir, "lb.tf"), after);
    writeFileSync(join(dir, "README.md"), "# notes\n");
    writeFileSync(join(dir, "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    writeFileSync(join(dir, "package.json"), "{}\n");
    git("add", ".");
    git("commit", "-qm", "change");
    const totals: number[] = [];
    const inputs = await localChange(dir, "main", "change", selection, (_, total) =>
      totals.push(total),
    );
    expect(inputs.map((input) => input.path)).toEqual(["lb.tf"]);
    expect(totals).toEqual([1, 1]);
  });
});
