import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempRepo } from "./cli-helpers.js";

const TG = (interval: number): string =>
  `resource "aws_lb_target_group" "web" {\n  health_check {\n    interval = ${interval}\n  }\n}\n`;

/** `main` with a target group, and `change` (checked out) that shortens its interval. */
function repo(): ReturnType<typeof tempRepo> {
  const { dir, git } = tempRepo("cg-refs-");
  writeFileSync(join(dir, "lb.tf"), TG(30));
  git("add", ".");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "change");
  writeFileSync(join(dir, "lb.tf"), TG(5));
  git("commit", "-qam", "change");
  return { dir, git };
}

describe("changegate analyze: refs and repositories a newcomer gets wrong", () => {
  it.each([
    ["--base", "mian", "change"],
    ["--head", "main", "chnage"],
  ])("names a %s that is no commit, in one line", async (option, base, head) => {
    const { dir } = repo();
    const result = await run("analyze", "--repo", dir, "--base", base, "--head", head);
    expect(result).toEqual({
      code: 2,
      out: "",
      err: `changegate: ${option} ${option === "--base" ? base : head}: no such branch, tag or commit in ${dir}\n`,
    });
  });

  it("says a folder that is not a git repository is not one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cg-nogit-"));
    const result = await run("analyze", "--repo", dir, "--base", "main");
    expect(result).toEqual({
      code: 2,
      out: "",
      err: `changegate: ${dir} is not a git repository (--repo)\n`,
    });
  });

  it("says a --repo that does not exist does not", async () => {
    const dir = join(tmpdir(), "cg-no-such-folder-x");
    const result = await run("analyze", "--repo", dir, "--base", "main");
    expect(result.err).toBe(`changegate: ${dir}: no such folder (--repo)\n`);
    expect(result.code).toBe(2);
  });

  it("takes HEAD (the commit checked out) when --head is not given", async () => {
    const { dir } = repo();
    const implicit = await run("analyze", "--repo", dir, "--base", "main");
    const explicit = await run("analyze", "--repo", dir, "--base", "main", "--head", "change");
    expect(implicit.code).toBe(0);
    expect(implicit.out).toBe(explicit.out);
    expect(JSON.parse(implicit.out).files).toHaveLength(1);
  });
});

describe("changegate validate-config: files it cannot read or parse", () => {
  it("says a syntax error is one, by line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cg-vc-"));
    const file = join(dir, "p.yml");
    writeFileSync(file, "rules: [\n");
    const { code, err } = await run("validate-config", file);
    expect(code).toBe(2);
    expect(err).toMatch(new RegExp(`^${file}:2: not valid YAML: [^\\n]+\\n1 problem\\n$`));
  });

  it("says a folder is a folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cg-vc-"));
    expect(await run("validate-config", dir)).toEqual({
      code: 2,
      out: "",
      err: `changegate: cannot read policy file ${dir}: it is a folder\n`,
    });
  });
});

describe("changegate analyze: a ref that looks like an option", () => {
  it("is refused before it reaches git", async () => {
    const { dir } = repo();
    const result = await run("analyze", "--repo", dir, "--base=--output=x", "--head", "change");
    expect(result).toEqual({
      code: 2,
      out: "",
      err: `changegate: --base --output=x: a ref cannot start with "-"\n`,
    });
  });
});

describe("changegate analyze --help", () => {
  it("says what is read: commits, not the work tree, with HEAD as the default head", async () => {
    const { out } = await run("analyze", "--help");
    const text = out.replace(/\s+/g, " ");
    expect(text).toContain("the work tree is not read");
    expect(text).toContain(
      '--head <ref> the head ref; its committed files are analysed (default: "HEAD")',
    );
  });
});

describe("changegate analyze: unrelated histories", () => {
  it("says --base and --head share no commit, instead of an empty git complaint", async () => {
    const { dir, git } = repo();
    git("checkout", "-q", "--orphan", "lonely");
    git("commit", "-qm", "lonely");
    const result = await run("analyze", "--repo", dir, "--base", "main", "--head", "lonely");
    expect(result).toEqual({
      code: 2,
      out: "",
      err: "changegate: main and lonely share no commit (unrelated histories): there is no merge base to compare from\n",
    });
  });
});
