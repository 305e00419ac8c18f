import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";
import { run } from "./cli-helpers.js";

const before = join(repoRoot, "examples/postmortem/before.tf");
const after = join(repoRoot, "examples/postmortem/after.tf");

describe("changegate diff", () => {
  it("prints the JSON contract for the postmortem pair", async () => {
    const { code, out, err } = await run("diff", before, after);
    expect(err).toBe("");
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.risk).toBe("high");
    expect(json.files[0]).toMatchObject({ format: "hcl", status: "modified" });
    expect(json.files[0].changes[0]).toEqual({
      path: "resource.aws_lb_target_group.webapp.health_check.interval",
      kind: "modified",
      before: 30,
      after: 5,
      line: 11,
      beforeLine: 11,
      afterLine: 11,
    });
    expect(json.findings.map((f: { rule: string; line: number }) => `${f.rule}@${f.line}`)).toEqual(
      ["lb.health-check.detection-too-fast@11", "lb.stickiness.duration-cut@20"],
    );
  });

  it("prints markdown a reviewer reads: risk, findings with before → after, hunks", async () => {
    const { out } = await run("diff", before, after, "--format", "markdown");
    expect(out).toContain("## Changegate: 🟠 high risk");
    expect(out).toContain("ejects a failing target after 10 s instead of 90 s");
    expect(out).toContain("`28800` → `60`");
    expect(out).toContain(
      "-    interval            = 30\n-    timeout             = 5\n+    interval            = 5\n+    timeout             = 4",
    );
  });

  it("exits 1 when the risk reaches --fail-on, 0 below it", async () => {
    expect((await run("diff", before, after, "--fail-on", "high")).code).toBe(1);
    expect((await run("diff", before, after, "--fail-on", "critical")).code).toBe(0);
  });

  it("treats /dev/null as added / deleted, and a missing path as an error", async () => {
    const added = JSON.parse((await run("diff", "/dev/null", after)).out);
    expect(added.files[0].status).toBe("added");
    const deleted = JSON.parse((await run("diff", before, "/dev/null")).out);
    expect(deleted.files[0].status).toBe("removed");
    expect(await run("diff", before, "/no/such/file.tf")).toEqual({
      code: 2,
      out: "",
      err: "changegate: /no/such/file.tf: no such file\n",
    });
  });

  it("forces a format with --as", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cg-"));
    writeFileSync(
      join(dir, "a.txt"),
      "backend app\n  server s1 10.0.0.1:80 check inter 10s fall 3\n",
    );
    writeFileSync(
      join(dir, "b.txt"),
      "backend app\n  server s1 10.0.0.1:80 check inter 10s fall 2\n",
    );
    const json = JSON.parse(
      (await run("diff", join(dir, "a.txt"), join(dir, "b.txt"), "--as", "haproxy")).out,
    );
    expect(json.files[0].format).toBe("haproxy");
    expect(json.files[0].changes[0].path).toBe("backend.app.server.s1.fall");
  });

  it("fails with exit 2 and one line on stderr for bad usage or unreadable input", async () => {
    for (const argv of [
      ["diff", "/dev/null", "/dev/null"],
      ["diff", before, after, "--format", "xml"],
      ["diff", before, after, "--fail-on", "severe"],
      ["diff", before, after, "--as", "ini"],
      ["diff", before],
      ["nonsense"],
    ]) {
      const { code, out, err } = await run(...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(out).toBe("");
      expect(err.trim().split("\n"), argv.join(" ")).toHaveLength(1);
      expect(err).not.toMatch(/\n\s+at /);
    }
    const dir = mkdtempSync(join(tmpdir(), "cg-"));
    mkdirSync(join(dir, "d.tf"));
    const directory = await run("diff", before, join(dir, "d.tf"));
    expect(directory).toMatchObject({
      code: 2,
      err: `changegate: cannot read ${join(dir, "d.tf")}: it is a folder\n`,
    });
  });
});
