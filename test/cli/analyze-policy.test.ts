import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";
import { run, tempRepo } from "./cli-helpers.js";

const BEFORE = readFileSync(join(repoRoot, "examples/postmortem/before.tf"), "utf8");
const AFTER = readFileSync(join(repoRoot, "examples/postmortem/after.tf"), "utf8");
const CRITICAL = "rules:\n  lb.health-check.detection-too-fast: { severity: critical }\n";
const RULE_OFF = "rules:\n  lb.health-check.detection-too-fast: { enabled: false }\n";

/**
 * A repository whose `main` holds the postmortem's load balancer and `policies` (path → text), and
 * a branch `change` that makes the postmortem's change and turns the rule off in its own policy.
 */
function repoWith(policies: Record<string, string>): { dir: string; sha: string } {
  const { dir, git } = tempRepo("cg-policy-");
  const write = (path: string, text: string): void => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write("infra/lb.tf", BEFORE);
  for (const [path, text] of Object.entries(policies)) write(path, text);
  git("add", ".");
  git("commit", "-qm", "base");
  const sha = git("rev-parse", "--short", "HEAD").trim();
  git("checkout", "-qb", "change");
  write("infra/lb.tf", AFTER);
  write(".github/changegate.yml", RULE_OFF);
  git("add", ".");
  git("commit", "-qm", "change");
  return { dir, sha };
}

const analyzeIn = (dir: string, ...extra: string[]) =>
  run("analyze", "--repo", dir, "--base", "main", "--head", "change", ...extra);

const severityOf = (out: string, rule: string): string | undefined =>
  (JSON.parse(out) as { findings: { rule: string; severity: string }[] }).findings.find(
    (finding) => finding.rule === rule,
  )?.severity;

describe("changegate analyze: the repository's policy", () => {
  it("is read from the base ref, as the App reads it, and named on stderr", async () => {
    const { dir, sha } = repoWith({ ".github/changegate.yml": CRITICAL });
    const { code, out, err } = await analyzeIn(dir);
    expect(err).toBe(`changegate: policy: .github/changegate.yml at main (${sha})\n`);
    expect(code).toBe(0);
    // The base's policy raises the rule; the branch's own edit (rule off) does not count.
    expect(severityOf(out, "lb.health-check.detection-too-fast")).toBe("critical");
    expect(JSON.parse(out).risk).toBe("critical");
  });

  it("reads the .yaml spelling too", async () => {
    const { dir, sha } = repoWith({ ".github/changegate.yaml": CRITICAL });
    const { out, err } = await analyzeIn(dir);
    expect(err).toBe(`changegate: policy: .github/changegate.yaml at main (${sha})\n`);
    expect(JSON.parse(out).risk).toBe("critical");
  });

  it("falls back to the embedded default when the base has none, and says so", async () => {
    const { dir } = repoWith({});
    const { code, out, err } = await analyzeIn(dir);
    expect(err).toBe(
      "changegate: policy: the embedded default (no .github/changegate.yml at main; the owner's .github repository is not read offline)\n",
    );
    expect(code).toBe(0);
    expect(severityOf(out, "lb.health-check.detection-too-fast")).toBe("high");
  });

  it("gives way to --config", async () => {
    const { dir } = repoWith({ ".github/changegate.yml": CRITICAL });
    const file = join(dir, "local.yml");
    writeFileSync(file, RULE_OFF);
    const { out, err } = await analyzeIn(dir, "--config", file);
    expect(err).toBe(`changegate: policy: ${file} (--config)\n`);
    expect(severityOf(out, "lb.health-check.detection-too-fast")).toBeUndefined();
  });

  it("refuses both spellings at once, as the App does", async () => {
    const { dir } = repoWith({
      ".github/changegate.yml": CRITICAL,
      ".github/changegate.yaml": CRITICAL,
    });
    const { code, out, err } = await analyzeIn(dir);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toBe(
      "changegate: main has both .github/changegate.yml and .github/changegate.yaml: keep one policy file\n",
    );
  });

  it("refuses _extends, which names a policy it cannot read offline, and suggests --config", async () => {
    const { dir, sha } = repoWith({
      ".github/changegate.yml": `_extends: acme/policies\n${CRITICAL}`,
    });
    const { code, out, err } = await analyzeIn(dir);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toBe(
      `changegate: .github/changegate.yml:1: _extends: acme/policies names another repository's policy, which cannot be read offline; pass the merged policy with --config FILE (at main, ${sha})\n`,
    );
  });

  it("refuses _extends in a --config file too", async () => {
    const { dir } = repoWith({});
    const file = join(dir, "local.yml");
    writeFileSync(file, `_extends: acme/policies\n`);
    const { code, err } = await analyzeIn(dir, "--config", file);
    expect(code).toBe(2);
    expect(err).toBe(
      `changegate: ${file}:1: _extends: acme/policies names another repository's policy, which cannot be read offline; pass the merged policy with --config FILE\n`,
    );
  });

  it("reports an _extends that names nothing (a number) as the schema does, like the App", async () => {
    const { dir } = repoWith({});
    const file = join(dir, "local.yml");
    writeFileSync(file, `_extends: 5\n`);
    const { code, err } = await analyzeIn(dir, "--config", file);
    expect(code).toBe(2);
    expect(err).toBe(`changegate: ${file}:1: _extends: expected a string, got 5\n`);
  });

  it("names the file and line (as FILE:LINE:), then the ref, of an invalid policy", async () => {
    const { dir, sha } = repoWith({ ".github/changegate.yml": "rules:\n  no.such-rule: {}\n" });
    const { code, out, err } = await analyzeIn(dir);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toMatch(
      new RegExp(
        `^changegate: \\.github/changegate\\.yml:2: rules\\.no\\.such-rule: [^\\n]+ \\(at main, ${sha}\\)\\n$`,
      ),
    );
  });

  it("counts the other problems of an invalid policy in words, and points to validate-config", async () => {
    const { dir, sha } = repoWith({
      ".github/changegate.yml": "rules:\n  no.such-rule: {}\nfile: x\nlimits: 3\n",
    });
    const { err } = await analyzeIn(dir);
    expect(err).toMatch(
      new RegExp(
        `^changegate: \\.github/changegate\\.yml:2: [^\\n]+ \\(at main, ${sha}; 2 more problems: run changegate validate-config\\)\\n$`,
      ),
    );
  });

  it("says a policy that is not YAML is not YAML, with its line", async () => {
    const { dir, sha } = repoWith({ ".github/changegate.yml": "rules: [\n" });
    const { err } = await analyzeIn(dir);
    expect(err).toMatch(
      new RegExp(
        `^changegate: \\.github/changegate\\.yml:2: not valid YAML: [^\\n]+ \\(at main, ${sha}\\)\\n$`,
      ),
    );
  });
});
