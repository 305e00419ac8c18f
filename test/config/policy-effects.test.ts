import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.js";
import { run } from "../cli/cli-helpers.js";

const before = join(repoRoot, "examples/postmortem/before.tf");
const after = join(repoRoot, "examples/postmortem/after.tf");

async function findingsWith(policy: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "cg-policy-"));
  const file = join(dir, "changegate.yml");
  writeFileSync(file, policy);
  const { code, out, err } = await run("diff", before, after, "--config", file);
  if (code !== 0) throw new Error(err);
  return JSON.parse(out).findings.map(
    (finding: { rule: string; severity: string }) => `${finding.rule}:${finding.severity}`,
  );
}

describe("the policy changes the CLI's output", () => {
  it("uses the defaults without a policy", async () => {
    expect(await findingsWith("")).toEqual([
      "lb.health-check.detection-too-fast:high",
      "lb.stickiness.duration-cut:high",
    ]);
  });

  it("disables a rule", async () => {
    expect(
      await findingsWith("rules:\n  lb.stickiness.duration-cut: { enabled: false }\n"),
    ).not.toContain("lb.stickiness.duration-cut:high");
  });

  it("overrides a severity", async () => {
    expect(
      await findingsWith("rules:\n  lb.health-check.detection-too-fast: { severity: critical }\n"),
    ).toContain("lb.health-check.detection-too-fast:critical");
  });

  it("changes a threshold", async () => {
    // With a 5 s floor, 10 s is no longer below it: the 89% drop alone is medium.
    expect(
      await findingsWith(
        "rules:\n  lb.health-check.detection-too-fast: { params: { minEjectSeconds: 5 } }\n",
      ),
    ).toContain("lb.health-check.detection-too-fast:medium");
  });

  it("adds a custom rule", async () => {
    const policy = `custom:
  - id: custom.deregistration
    files: "**/*.tf"
    path: "resource.aws_lb_target_group.*.health_check.interval"
    when: below
    value: 10
    severity: critical
    message: "Health-check interval {after} s is below our 10 s floor"
    checklist: ["Page the SRE on-call before merging"]
`;
    expect(await findingsWith(policy)).toContain("custom.deregistration:critical");
  });

  it("refuses a bad policy file with exit 2 naming the file and line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cg-policy-"));
    const file = join(dir, "changegate.yml");
    writeFileSync(file, "rules:\n  lb.nope: {}\n");
    const { code, err } = await run("diff", before, after, "--config", file);
    expect(code).toBe(2);
    expect(err).toBe(
      `changegate: ${file}:2: rules.lb.nope: unknown rule id (see \`changegate rules\`)\n`,
    );
  });
});

describe("changegate validate-config", () => {
  it("prints every problem as path: message and exits 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cg-policy-"));
    const file = join(dir, "changegate.yml");
    writeFileSync(file, "approvals:\n  invalidateOn: sometimes\nemergency:\n  label: ''\n");
    const { code, err } = await run("validate-config", file);
    expect(code).toBe(2);
    expect(err.trim().split("\n")).toEqual([
      `${file}:2: approvals.invalidateOn: expected one of "infra-change", "any-push", "never", got "sometimes"`,
      `${file}:4: emergency.label: expected a non-empty string, got ""`,
      "2 problems",
    ]);
    writeFileSync(file, "requirements:\n  high: { approvals: 3 }\n");
    expect(await run("validate-config", file)).toMatchObject({ code: 0, out: `${file}: valid\n` });
  });
});
