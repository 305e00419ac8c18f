// Issue 12, item 13: the snapshot fixtures replay the postmortem example, so they carry the change
// examples/postmortem/ holds (a change AWS accepts), not an older version of it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";

const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");
const BEFORE = read("examples/postmortem/before.tf");
const AFTER = read("examples/postmortem/after.tf");

interface Fixture {
  files: { path: string; before: string | null; after: string | null }[];
  revisions?: Record<string, { path: string; content: string; base: string }[]>;
}

const DIR = "test/fixtures/snapshots";
const fixtures = readdirSync(join(repoRoot, DIR))
  .filter((name) => name.endsWith(".json"))
  .map((name) => [name, JSON.parse(read(`${DIR}/${name}`)) as Fixture] as const)
  .filter(([, fixture]) => fixture.files.some((file) => file.path === "lb.tf"));

describe("the snapshot fixtures' lb.tf", () => {
  it("covers the postmortem fixtures", () => {
    expect(fixtures.map(([name]) => name)).toContain("postmortem-blocked.json");
  });

  it.each(fixtures)("%s: examples/postmortem/before.tf → after.tf", (_, fixture) => {
    const file = fixture.files.find((candidate) => candidate.path === "lb.tf")!;
    expect(file.before).toBe(BEFORE);
    expect(file.after).toBe(AFTER);
    for (const revision of Object.values(fixture.revisions ?? {}))
      for (const old of revision.filter((candidate) => candidate.path === "lb.tf"))
        expect(old.base).toBe(BEFORE);
  });
});
