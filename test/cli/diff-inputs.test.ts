import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";
import { run } from "./cli-helpers.js";

// Relative paths, as a user types them: messages name the path as given.
let dir: string;
const at = (name: string): string => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cg-inputs-"));
  copyFileSync(join(repoRoot, "examples/postmortem/before.tf"), at("before.tf"));
  copyFileSync(join(repoRoot, "examples/postmortem/after.tf"), at("after.tf"));
  writeFileSync(at("binary.tf"), 'resource "x" "y" {\0}\n');
  writeFileSync(at("empty.tf"), "");
});

/** Exit 2, nothing on stdout, exactly one line on stderr, no stack trace. */
async function refused(...argv: string[]): Promise<string> {
  const { code, out, err } = await run(...argv);
  expect(code, argv.join(" ")).toBe(2);
  expect(out).toBe("");
  expect(err.endsWith("\n")).toBe(true);
  expect(err.trim().split("\n"), err).toHaveLength(1);
  return err.trim();
}

describe("changegate diff: a missing path", () => {
  it("is an error naming the path, on either side", async () => {
    expect(await refused("diff", at("before.tf"), at("aftr.tf"))).toBe(
      `changegate: ${at("aftr.tf")}: no such file`,
    );
    expect(await refused("diff", at("befor.tf"), at("after.tf"))).toBe(
      `changegate: ${at("befor.tf")}: no such file`,
    );
  });

  it("leaves added and deleted files to an explicit /dev/null", async () => {
    const added = JSON.parse((await run("diff", "/dev/null", at("after.tf"))).out);
    expect(added.files[0]).toMatchObject({ path: at("after.tf"), status: "added" });
    const deleted = JSON.parse((await run("diff", at("before.tf"), "/dev/null")).out);
    expect(deleted.files[0]).toMatchObject({ path: at("before.tf"), status: "removed" });
  });
});

describe("changegate diff: binary input", () => {
  it("names the side that is binary", async () => {
    expect(await refused("diff", at("binary.tf"), at("after.tf"))).toBe(
      `changegate: ${at("binary.tf")} is binary (it holds a NUL byte): diff compares text files`,
    );
    expect(await refused("diff", at("before.tf"), at("binary.tf"))).toBe(
      `changegate: ${at("binary.tf")} is binary (it holds a NUL byte): diff compares text files`,
    );
  });

  it("refuses a pair with nothing to read", async () => {
    expect(await refused("diff", at("binary.tf"), "/dev/null")).toContain(
      `${at("binary.tf")} is binary`,
    );
  });
});

describe("changegate diff: empty input", () => {
  it("reads an emptied file as every setting removed, and says the file is empty", async () => {
    const { code, out, err } = await run("diff", at("before.tf"), at("empty.tf"));
    expect(code).toBe(0);
    expect(err).toBe(
      `changegate: ${at("empty.tf")} is empty: everything in ${at("before.tf")} counts as removed\n`,
    );
    const json = JSON.parse(out);
    expect(json.files[0].status).toBe("modified");
    expect(json.risk).toBe("high");
  });

  it("reads a file filled from empty as everything added", async () => {
    const { code, err } = await run("diff", at("empty.tf"), at("after.tf"));
    expect(code).toBe(0);
    expect(err).toBe(
      `changegate: ${at("empty.tf")} is empty: everything in ${at("after.tf")} counts as added\n`,
    );
  });

  it("refuses a pair with nothing to read", async () => {
    expect(await refused("diff", at("empty.tf"), at("empty.tf"))).toBe(
      `changegate: ${at("empty.tf")} and ${at("empty.tf")} are empty: nothing to compare`,
    );
    expect(await refused("diff", "/dev/null", at("empty.tf"))).toBe(
      `changegate: ${at("empty.tf")} is empty: nothing to compare`,
    );
  });
});
