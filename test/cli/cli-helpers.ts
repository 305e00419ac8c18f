import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { main } from "../../src/cli/main.js";

/** Runs the CLI in-process and captures what it prints. */
export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
  });
  return { code, out, err };
}

/** A fresh git repository in a temporary folder, and `git` run in it as a fixed identity. */
export function tempRepo(prefix: string): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const git = (...args: string[]): string =>
    execFileSync(
      "git",
      ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args],
      { encoding: "utf8" },
    );
  git("init", "-q", "-b", "main");
  return { dir, git };
}

/** `changegate analyze` of `head` against `main` in `repo`: the parsed JSON, after a clean exit. */
export async function analyzeBranch<T = AnalysisOutput>(
  repo: string,
  head: string,
  ...extra: string[]
): Promise<T> {
  const { code, out, err } = await run(
    "analyze",
    "--repo",
    repo,
    "--base",
    "main",
    "--head",
    head,
    ...extra,
  );
  // Only the line naming the policy (test/cli/analyze-policy.test.ts).
  expect(err).toMatch(/^changegate: policy: [^\n]+\n$/);
  expect(code).toBe(0);
  return JSON.parse(out) as T;
}

/** The parts of the analysis JSON (docs/output.md) these tests read. */
export interface AnalysisOutput {
  readonly risk: string;
  readonly files: readonly { readonly path: string; readonly status: string }[];
  readonly findings: readonly {
    readonly rule: string;
    readonly file: string;
    readonly severity: string;
  }[];
}

/** `path:status` of each analysed file. */
export const fileStatuses = (analysis: AnalysisOutput): string[] =>
  analysis.files.map((file) => `${file.path}:${file.status}`);
