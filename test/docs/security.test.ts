// docs/security.md lists each promise with the tests that hold it: a test file it names must exist,
// so the page cannot keep pointing at tests that were renamed or removed.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";

const security = readFileSync(join(repoRoot, "docs/security.md"), "utf8");
const rows = security.split("\n").filter((line) => /^\| \*\*/.test(line));

describe("docs/security.md", () => {
  it("names a test for every promise in its tables", () => {
    expect(rows.length).toBeGreaterThan(20);
    const untested = rows.filter((row) => !/`test\/[^`]+`/.test(row.split("|").at(-2) ?? ""));
    expect(untested).toEqual([]);
  });

  it("names only tests that exist", () => {
    const named = [...security.matchAll(/`(test\/[^`]+)`/g)].map((match) => match[1]!);
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((path) => !existsSync(join(repoRoot, path)))).toEqual([]);
  });
});
