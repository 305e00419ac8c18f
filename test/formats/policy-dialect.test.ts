// A policy another repository extends (`_extends: owner/repo:policies/base.yml`) may live at any
// path: a change to it weakens every repository that extends it, so it is a policy change wherever
// it is, and a file that merely shares a key is not.
import { describe, expect, it } from "vitest";
import { policySchema } from "../../src/config/schema.js";
import { analyze } from "../../src/engine/analyze.js";
import { isInfraFile } from "../../src/engine/select.js";
import { POLICY_KEYS } from "../../src/formats/dialect.js";

const selection = { include: [], exclude: [], formatOverride: () => undefined };

const base = (approvals: number): string => `requirements:
  high:
    approvals: ${approvals}
rules:
  haproxy.server.removed:
    severity: high
`;

describe("a policy at any path", () => {
  it("is a policy change, high, at the line that changed", () => {
    const analysis = analyze([{ path: "policies/base.yml", before: base(2), after: base(0) }]);
    expect(analysis.files[0]?.dialect).toBe("changegate-policy");
    expect(
      analysis.findings.map((finding) => [finding.rule, finding.severity, finding.line]),
    ).toEqual([["generic.policy.changed", "high", 3]]);
    expect(isInfraFile("policies/base.yml", base(0), selection)).toBe(true);
  });

  it("includes .github/changegate.yaml in a folder, as .yml is", () => {
    expect(
      analyze([
        {
          path: "svc/.github/changegate.yaml",
          before: "{}\n",
          after: "files:\n  exclude: ['**']\n",
        },
      ]).files[0]?.dialect,
    ).toBe("changegate-policy");
  });

  it("is not a file that shares a key with a policy", () => {
    const semgrep = "rules:\n  - id: no-eval\n    pattern: eval(...)\n";
    const values = "replicaCount: 3\nrules:\n  enabled: true\n";
    const limitsOnly = "limits:\n  cpu: 1\n";
    for (const content of [semgrep, values, limitsOnly]) {
      expect(isInfraFile("config/tool.yml", content, selection), content).toBe(false);
    }
  });

  it("knows every top-level key of the policy schema", () => {
    expect([...POLICY_KEYS].sort()).toEqual(Object.keys(policySchema.shape).sort());
  });
});
