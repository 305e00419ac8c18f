// The Action GitHub runs is the committed bundle, not src/: it must be what `npm run bundle` builds
// from the sources of the same commit, and action.yml must point at it and declare the Action's
// inputs and outputs with their defaults.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ESLint } from "eslint";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  BUNDLE_FILE,
  LEGAL_FILE,
  bundleAction,
  packageDir,
} from "../../scripts/bundle-action.js";
import { repoRoot } from "../helpers.js";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(parent = tmpdir()): string {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, "changegate-bundle-"));
  temps.push(dir);
  return dir;
}

/** Runs a bundle as GitHub would, with an environment that holds no runner variable. */
function run(bundle: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [bundle], {
    env: { PATH: process.env.PATH ?? "" },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** One build of the real entry for the tests below, and how long esbuild took. */
let fresh: Promise<{ dir: string; ms: number }> | undefined;
function freshBundle(): Promise<{ dir: string; ms: number }> {
  fresh ??= (async () => {
    const dir = tempDir();
    const started = Date.now();
    await bundleAction(dir);
    return { dir, ms: Date.now() - started };
  })();
  return fresh;
}

describe("the committed bundle", () => {
  it("is what npm run bundle builds from these sources", async () => {
    const { dir, ms } = await freshBundle();
    // About 1 s for the whole engine on this machine; the budget leaves room for a busy one.
    expect(ms).toBeLessThan(15_000);
    for (const file of [BUNDLE_FILE, LEGAL_FILE]) {
      const committed = join(repoRoot, "action", file);
      const same =
        existsSync(committed) && readFileSync(committed).equals(readFileSync(join(dir, file)));
      expect(same, `action/${file} is stale: run npm run bundle and commit it`).toBe(true);
    }
  });

  it("starts on this Node without a runner and says so in one line", async () => {
    const { dir } = await freshBundle();
    const { status, output } = run(join(dir, BUNDLE_FILE));
    expect(output).not.toMatch(/Dynamic require|SyntaxError|ReferenceError|ERR_/);
    expect(output.split("\n")).toHaveLength(1);
    expect(output).toMatch(/^::error::Changegate: GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set/);
    expect(status).not.toBe(0);
  });
});

describe("action.yml", () => {
  const action = parse(readFileSync(join(repoRoot, "action.yml"), "utf8")) as {
    name?: unknown;
    inputs?: Record<string, { description?: unknown; default?: unknown }>;
    outputs?: Record<string, { description?: unknown }>;
    runs?: { using?: unknown; main?: unknown };
  };

  it("runs the committed bundle on Node 24", () => {
    expect(action.name).toBe("Changegate");
    expect(action.runs?.using).toBe("node24");
    expect(action.runs?.main).toBe(`action/${BUNDLE_FILE}`);
    const main = join(repoRoot, String(action.runs?.main));
    expect(existsSync(main), "action/index.mjs is missing: run npm run bundle and commit it").toBe(
      true,
    );
  });

  it("declares every input and output of the design, with its default", () => {
    expect(
      Object.fromEntries(
        Object.entries(action.inputs ?? {}).map(([name, input]) => [name, input.default]),
      ),
    ).toEqual({
      "github-token": "${{ github.token }}",
      config: ".github/changegate.yml",
      "fail-on": "",
      comment: "on",
      sarif: "",
      "bot-login": "github-actions[bot]",
      "state-key": "",
    });
    expect(Object.keys(action.outputs ?? {}).sort()).toEqual(["conclusion", "risk", "sarif-file"]);
    for (const entry of [...Object.values(action.inputs ?? {}), ...Object.values(action.outputs ?? {})]) {
      expect(typeof entry.description === "string" && entry.description.length > 20).toBe(true);
    }
  });
});

describe("bundleAction", () => {
  // An entry of the test's own, inside the checkout so that its imports resolve from node_modules/
  // (.tmp/ is ignored by git); debug is CommonJS and requires Node built-ins (tty, util).
  const fixtureRoot = join(repoRoot, ".tmp");

  function fixtureEntry(source: string): string {
    const dir = tempDir(fixtureRoot);
    writeFileSync(join(dir, "main.ts"), source);
    return relative(repoRoot, join(dir, "main.ts")).split("\\").join("/");
  }

  it("defines require for CommonJS code that requires a built-in, and the bundle runs", async () => {
    const entry = fixtureEntry(
      'import createDebug from "debug";\nconsole.log(typeof createDebug("changegate"));\n',
    );
    const out = tempDir();
    const result = await bundleAction(out, { entry });
    expect(result.requireBanner).toBe(true);
    const bundle = readFileSync(join(out, BUNDLE_FILE), "utf8");
    expect(bundle.startsWith('import { createRequire as __changegateCreateRequire } from "node:module";\n')).toBe(true);
    expect(run(join(out, BUNDLE_FILE))).toEqual({ status: 0, output: "function" });
    // Without the banner the same bundle fails: the banner is what makes it run.
    const unbannered = join(out, "no-banner.mjs");
    writeFileSync(unbannered, bundle.split("\n").slice(2).join("\n"));
    expect(run(unbannered).output).toMatch(/Dynamic require of "(tty|util|os)" is not supported/);
  });

  it("adds no banner to a bundle that needs none", async () => {
    const entry = fixtureEntry('import { sep } from "node:path";\nconsole.log(sep.length);\n');
    const out = tempDir();
    const result = await bundleAction(out, { entry });
    expect(result.requireBanner).toBe(false);
    expect(readFileSync(join(out, BUNDLE_FILE), "utf8")).not.toContain("createRequire");
    expect(run(join(out, BUNDLE_FILE))).toEqual({ status: 0, output: "1" });
  });

  it("gives the same bytes twice, in any folder, with no path of the machine", async () => {
    const entry = fixtureEntry('import createDebug from "debug";\ncreateDebug("a")("b");\n');
    const [first, second] = [tempDir(), tempDir()];
    await bundleAction(first, { entry });
    await bundleAction(second, { entry });
    for (const file of [BUNDLE_FILE, LEGAL_FILE]) {
      const text = readFileSync(join(first, file), "utf8");
      expect(readFileSync(join(second, file), "utf8")).toBe(text);
      expect(text).not.toContain(repoRoot);
      expect(text).not.toContain(first);
    }
  });

  it("ships the licence text of every bundled package, and names no package it left out", async () => {
    const entry = fixtureEntry('import createDebug from "debug";\ncreateDebug("a")("b");\n');
    const out = tempDir();
    const result = await bundleAction(out, { entry });
    const legal = readFileSync(join(out, LEGAL_FILE), "utf8");
    const debugLicence = readFileSync(join(repoRoot, "node_modules/debug/LICENSE"), "utf8");
    const msLicence = readFileSync(join(repoRoot, "node_modules/ms/license.md"), "utf8");
    expect(legal).toMatch(/^debug@\d+\.\d+\.\d+ \(MIT\)$/m);
    expect(legal).toMatch(/^ms@\d+\.\d+\.\d+ \(MIT\)$/m);
    expect(legal).toContain(debugLicence.trimEnd());
    expect(legal).toContain(msLicence.trimEnd());
    expect(legal).toMatch(/^Licences of the 2 packages bundled into index\.mjs/);
    expect(legal).not.toContain("yaml@");
    expect(result.withoutLicenceFile).toEqual([]);
  });

  it("fails on an entry that does not resolve, naming it", async () => {
    await expect(bundleAction(tempDir(), { entry: "src/action/absent.ts" })).rejects.toThrow(
      /Could not resolve "src\/action\/absent\.ts"/,
    );
  });

  it("finds a package's folder, scoped or nested, and none for our own files", () => {
    expect(packageDir("node_modules/yaml/dist/index.js")).toBe("node_modules/yaml");
    expect(packageDir("node_modules/@octokit/rest/dist-src/index.js")).toBe(
      "node_modules/@octokit/rest",
    );
    expect(packageDir("node_modules/a/node_modules/@s/b/lib/x.js")).toBe(
      "node_modules/a/node_modules/@s/b",
    );
    expect(packageDir("src/action/main.ts")).toBeNull();
  });
});

// tsc and the build see src/ only: the generated bundle is neither typechecked nor emitted into dist/.
describe("the bundle folder", () => {
  it("is outside the typecheck, the build, ESLint and Prettier", async () => {
    const include = (file: string): string[] =>
      (JSON.parse(readFileSync(join(repoRoot, file), "utf8")) as { include: string[] }).include;
    expect(include("tsconfig.json")).not.toContain("action");
    expect(include("tsconfig.build.json")).toEqual(["src"]);
    expect(readFileSync(join(repoRoot, ".prettierignore"), "utf8").split("\n")).toContain("action");
    const eslint = new ESLint({ cwd: repoRoot });
    expect(await eslint.isPathIgnored(join(repoRoot, "action", BUNDLE_FILE))).toBe(true);
    expect(await eslint.isPathIgnored(join(repoRoot, "src/index.ts"))).toBe(false);
  });
});
