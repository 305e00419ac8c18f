// Issue 12, item 19: every environment variable the App reads is in .env.example and in the
// variable table of docs/install.md, and the two list the same variables.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";

const envExample = readFileSync(join(repoRoot, ".env.example"), "utf8");
const install = readFileSync(join(repoRoot, "docs/install.md"), "utf8");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

/** `process.env.X`, `env.X` and `env["X"]` reads of upper-case names, by file. */
function envReads(text: string): string[] {
  const names = [...text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[\s*"([A-Z][A-Z0-9_]*)"\s*\])/g)];
  return names.map((match) => match[1] ?? match[2]!);
}

/** The variables of .env.example, set or commented out (`# NAME=`). */
function exampleVariables(text: string): Set<string> {
  return new Set([...text.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!));
}

/** The variables named in the first column of docs/install.md's "2. Configure" table. */
function installVariables(text: string): Set<string> {
  const section = text.slice(text.indexOf("## 2. Configure"), text.indexOf("## 3. Run"));
  const firstCells = [...section.matchAll(/^\| ([^|]+)\|/gm)].map((match) => match[1]!);
  return new Set(
    firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!)),
  );
}

// The CLI's token is not the App's: docs/install.md's step 5 and docs/snapshot.md document it.
const CLI_ONLY = new Set(["GITHUB_TOKEN", "GH_TOKEN"]);

const readsIn = (dir: string): { name: string; file: string }[] =>
  sourceFiles(join(repoRoot, dir)).flatMap((file) =>
    envReads(readFileSync(file, "utf8")).map((name) => ({
      name,
      file: relative(repoRoot, file),
    })),
  );

// The Action (src/action/) reads what the runner sets for a step, never the App's settings.
const isAction = (file: string): boolean => file.startsWith("src/action/");

describe("the App's environment variables", () => {
  const reads = readsIn("src").filter((read) => !isAction(read.file));

  it("finds the reads it checks", () => {
    const names = new Set(reads.map((read) => read.name));
    for (const name of [
      "REDIS_URL",
      "CHANGEGATE_RECOVERY_INTERVAL_MS",
      "PRIVATE_KEY",
      "GITHUB_TOKEN",
    ])
      expect(names).toContain(name);
    expect(envReads('process.env.FOO_BAR + env["BAZ"] + env.qux')).toEqual(["FOO_BAR", "BAZ"]);
  });

  it("documents every variable src/ reads in .env.example and docs/install.md", () => {
    const example = exampleVariables(envExample);
    const documented = installVariables(install);
    const missing = reads
      .filter((read) => !CLI_ONLY.has(read.name))
      .flatMap(({ name, file }) => [
        ...(example.has(name) ? [] : [`${name} (${file}) is not in .env.example`]),
        ...(documented.has(name) ? [] : [`${name} (${file}) is not in docs/install.md's table`]),
      ]);
    expect([...new Set(missing)]).toEqual([]);
    for (const name of CLI_ONLY)
      expect(install).toContain(name === "GH_TOKEN" ? "GITHUB_TOKEN" : name);
  });

  it("lists the same variables in .env.example and docs/install.md", () => {
    expect([...exampleVariables(envExample)].sort()).toEqual([...installVariables(install)].sort());
  });

  it("gives GHE_HOST as a host name, as its comment says and Probot reads it", () => {
    const lines = envExample.split("\n");
    const at = lines.findIndex((line) => /^# GHE_HOST=/.test(line));
    expect(lines[at]).toBe("# GHE_HOST=ghe.example.com");
    expect(lines[at - 1]).toMatch(/the host name only/);
    expect(lines[at - 1]).not.toMatch(/the API URL/);
  });
});

describe("the Action's environment variables", () => {
  const reads = readsIn("src/action");
  const action = readFileSync(join(repoRoot, "docs/action.md"), "utf8");
  // The section up to the next heading, whatever that one is called: a renamed neighbour must not
  // stretch it over the rest of the page.
  const start = action.indexOf("## What it reads from the runner");
  const section = action.slice(start, action.indexOf("\n## ", start + 1));

  it("finds the reads it checks, and the section it checks them against", () => {
    expect(reads.map((read) => read.name)).toContain("GITHUB_EVENT_PATH");
    expect(start).toBeGreaterThanOrEqual(0);
    expect(section).toContain("`GITHUB_EVENT_PATH`");
  });

  it("names every runner variable src/action reads in docs/action.md, and reads no App setting", () => {
    const missing = reads
      .filter((read) => !section.includes(`\`${read.name}\``))
      .map(({ name, file }) => `${name} (${file}) is not in docs/action.md's runner section`);
    expect([...new Set(missing)]).toEqual([]);
    const appSettings = exampleVariables(envExample);
    expect(reads.filter((read) => appSettings.has(read.name))).toEqual([]);
  });
});
