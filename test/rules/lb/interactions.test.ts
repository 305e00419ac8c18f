// The stickiness rules split the changes of affinity between them on Azure load-balancing rules and
// GCP backend services. (On target groups, each lb rule's table checks the whole analysis:
// ruleTable's wholeAnalysis.)
import { describe, expect, it } from "vitest";
import { analyze } from "../../../src/engine/analyze.js";
import { lbRule } from "../azure/builders.js";
import { service } from "../gcp/builders.js";

/** `rule:severity` of every finding of the whole analysis, optionally only rules under `prefix`. */
function fired(path: string, before: string, after: string, prefix = ""): string[] {
  return analyze([{ path, before, after }])
    .findings.filter((finding) => finding.rule.startsWith(prefix))
    .map((finding) => `${finding.rule}:${finding.severity}`);
}

describe("the stickiness rules on Azure load-balancing rules and GCP backend services", () => {
  const azure = (before: string, after: string) =>
    ["lb.tf", lbRule(before), lbRule(after)] as const;
  const distribution = (mode: string) => `  load_distribution = ${mode}`;

  it.each([
    ["Azure: set", azure("", distribution('"SourceIP"')), ["lb.stickiness.changed:medium"]],
    [
      "Azure: changed",
      azure(distribution('"SourceIP"'), distribution('"SourceIPProtocol"')),
      ["lb.stickiness.changed:high"],
    ],
    [
      "Azure: back to Default",
      azure(distribution('"SourceIP"'), distribution('"Default"')),
      ["lb.stickiness.disabled:high"],
    ],
    ["Azure: a portal alias", azure(distribution('"SourceIP"'), distribution('"Client IP"')), []],
    ["Azure: the portal's None", azure(distribution('"Default"'), distribution('"None"')), []],
    [
      "Azure: an expression",
      azure(distribution('"SourceIP"'), distribution("var.distribution")),
      [],
    ],
    [
      "GCP: an expression",
      [
        "lb.tf",
        service('  session_affinity = "CLIENT_IP"'),
        service("  session_affinity = var.affinity"),
      ] as const,
      [],
    ],
  ])("%s", (_name, [path, before, after], expected) => {
    expect(fired(path, before, after, "lb.stickiness")).toEqual(expected);
  });
});
