// lb.health-check.detection-too-fast's `fix` comes from its own judgement: among the timing lines the
// change edited, the first one-line edit (back to the reviewed value, else to the safe value it names)
// under which the rule no longer fires; none, no fix (docs/output.md).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import detectionTooFast from "../../../src/rules/lb/health-check-detection-too-fast.js";
import type { Finding } from "../../../src/rules/types.js";
import { findingsOf } from "../rule-table.js";
import { ENVOY_PATH, timedCheck } from "../envoy/builders.js";
import { targetGroup } from "./builders.js";

const BEFORE = readFileSync(
  new URL("../../../examples/postmortem/before.tf", import.meta.url),
  "utf8",
);
const AFTER = readFileSync(
  new URL("../../../examples/postmortem/after.tf", import.meta.url),
  "utf8",
);

const found = (path: string, before: string, after: string): Finding[] =>
  findingsOf(detectionTooFast.id, path, before, after);

/** `after` with the fix's line written over. */
function applied(after: string, finding: Finding): string {
  const lines = after.split("\n");
  lines[finding.fix!.line - 1] = finding.fix!.replacement;
  return lines.join("\n");
}

describe("lb.health-check.detection-too-fast fix", () => {
  it("the postmortem: the interval back to its reviewed 30 s on line 11 is enough (60 s, no large drop)", () => {
    const [finding] = found("infra/lb.tf", BEFORE, AFTER);
    expect(finding).toMatchObject({
      line: 11,
      fix: { line: 11, replacement: "    interval            = 30" },
    });
    expect(found("infra/lb.tf", BEFORE, applied(AFTER, finding!))).toEqual([]);
  });

  it("a threshold cut alone (Envoy 3 → 1): the threshold back to 3", () => {
    const before = timedCheck("10s", 3);
    const after = timedCheck("10s", 1);
    const [finding] = found(ENVOY_PATH, before, after);
    expect(finding!.fix!.replacement).toMatch(/unhealthy_threshold: 3$/);
    expect(found(ENVOY_PATH, before, applied(after, finding!))).toEqual([]);
  });

  it("a new hair-trigger check gets the safe value it names when one line carries it (Envoy interval 2 s × 3)", () => {
    const after = timedCheck("1s", 3);
    const [finding] = found(ENVOY_PATH, "", after);
    expect(finding?.message).toContain("hair-trigger");
    expect(finding!.fix!.replacement).toMatch(/interval: 2s$/);
    expect(found(ENVOY_PATH, "", applied(after, finding!))).toEqual([]);
  });

  it("no fix when no single line makes the judgement pass (150 s → 5 s × 1: each line alone still ejects far sooner)", () => {
    const before = targetGroup("interval = 30\nunhealthy_threshold = 5");
    const after = targetGroup("interval = 5\nunhealthy_threshold = 1");
    const [finding] = found("lb.tf", before, after);
    expect(finding).toMatchObject({ severity: "high" });
    expect(finding!.message).toContain("Safe:");
    expect(finding!.fix).toBeUndefined();
    // Each line back alone: still a finding, so neither could be offered.
    for (const [from, to] of [
      ["interval = 5", "interval = 30"],
      ["unhealthy_threshold = 1", "unhealthy_threshold = 5"],
    ] as const)
      expect(found("lb.tf", before, after.replace(from, to))).not.toEqual([]);
  });
});
