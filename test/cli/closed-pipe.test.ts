import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";

const entry = join(repoRoot, "src/cli/entry.ts");
const example = (name: string) => join(repoRoot, "examples/postmortem", name);

/**
 * Runs the CLI as a process (through tsx, as dist/ may not be built) whose stdout reader has gone
 * before it writes, as `changegate rules | head -1` leaves it: its exit code and stderr.
 */
function runWithClosedStdout(...argv: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry, ...argv], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, err }));
  });
}

describe("a closed stdout", () => {
  it.each([["rules"], ["diff", example("before.tf"), example("after.tf")], ["--help"]])(
    "ends `changegate %s` quietly with exit 0",
    async (...argv) => {
      const { code, err } = await runWithClosedStdout(...argv);
      expect(err).toBe("");
      expect(code).toBe(0);
    },
    60_000,
  );
});
