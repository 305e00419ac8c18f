import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { mergeOverlaps } from "../../src/engine/overlaps.js";
import { DEFAULT_SETTINGS, type EngineSettings } from "../../src/engine/settings.js";
import { analysisJson } from "../../src/render/analysis-json.js";
import { findingLines } from "../../src/render/analysis-markdown.js";
import type { Finding } from "../../src/rules/types.js";
import { DEFAULTS, HAPROXY_PATH, THREE, config } from "../rules/haproxy/builders.js";
import { K8S_PATH, LIVENESS, deployment, pdb } from "../rules/kubernetes/builders.js";

const LIVENESS_CUT = {
  path: K8S_PATH,
  before: deployment({ container: LIVENESS(10, 3) }),
  after: deployment({ container: LIVENESS(3, 2) }),
};

const TIMEOUT_BARE = {
  path: HAPROXY_PATH,
  before: config(THREE),
  after: config(THREE, DEFAULTS.replace("timeout server 30s", "timeout server 30")),
};

const withRules = (rules: EngineSettings["rules"]): EngineSettings => ({
  ...DEFAULT_SETTINGS,
  rules,
});

describe("one finding per consequence", () => {
  it("a liveness budget cut is reported once, by the liveness rule, with both reasons", () => {
    const { findings } = analyze([LIVENESS_CUT]);
    expect(findings.map((finding) => finding.rule)).toEqual(["kubernetes.liveness.aggressive"]);
    const [finding] = findings;
    expect(finding!.severity).toBe("high");
    expect(finding!.alsoRules).toEqual(["lb.health-check.detection-too-fast"]);
    expect(finding!.reasons!.map(({ rule, severity }) => `${rule}:${severity}`)).toEqual([
      "kubernetes.liveness.aggressive:high",
      "lb.health-check.detection-too-fast:high",
    ]);
    expect(finding!.reasons![1]!.message).toMatch(/restarts a failing target after 6 s/);
    // Both rules' checklists, each item once.
    expect(finding!.checklist.length).toBeGreaterThanOrEqual(3);
    expect(new Set(finding!.checklist).size).toBe(finding!.checklist.length);
  });

  it("a bare HAProxy timeout is one finding: the unit suspect, with the timeout cut as a reason", () => {
    const { findings } = analyze([TIMEOUT_BARE]);
    const atLine = findings.filter((finding) => finding.line === 5);
    expect(atLine.map((finding) => finding.rule)).toEqual(["haproxy.duration.unit-suspect"]);
    expect(atLine[0]!.severity).toBe("high");
    expect(atLine[0]!.alsoRules).toEqual(["haproxy.timeout.cut"]);
    expect(atLine[0]!.reasons![1]).toMatchObject({
      rule: "haproxy.timeout.cut",
      severity: "medium",
    });
  });

  it("settings apply per rule before merging", () => {
    const disabled = analyze(
      [LIVENESS_CUT],
      withRules({ "kubernetes.liveness.aggressive": { enabled: false } }),
    ).findings;
    expect(disabled.map((finding) => finding.rule)).toEqual(["lb.health-check.detection-too-fast"]);
    expect(disabled[0]!.alsoRules).toBeUndefined();

    // Raised by the policy, the other rule is the more severe: it leads.
    const raised = analyze(
      [LIVENESS_CUT],
      withRules({ "lb.health-check.detection-too-fast": { severity: "critical" } }),
    ).findings;
    expect(raised.map((finding) => `${finding.rule}:${finding.severity}`)).toEqual([
      "lb.health-check.detection-too-fast:critical",
    ]);
    expect(raised[0]!.alsoRules).toEqual(["kubernetes.liveness.aggressive"]);
  });

  it("the JSON contract carries alsoRules and reasons", () => {
    const json = analysisJson(analyze([LIVENESS_CUT])) as {
      findings: { rule: string; alsoRules?: string[]; reasons?: { rule: string }[] }[];
    };
    expect(json.findings[0]!.alsoRules).toEqual(["lb.health-check.detection-too-fast"]);
    expect(json.findings[0]!.reasons!.map((reason) => reason.rule)).toEqual([
      "kubernetes.liveness.aggressive",
      "lb.health-check.detection-too-fast",
    ]);
  });
});

describe("other pairs", () => {
  it("a PodDisruptionBudget deleted is one finding: the deletion, with the budget's reason", () => {
    const { findings } = analyze([
      { path: K8S_PATH, before: deployment() + pdb(), after: deployment() },
    ]);
    expect(findings.map((finding) => `${finding.rule}:${finding.severity}`)).toEqual([
      "kubernetes.workload-deleted:high",
    ]);
    expect(findings[0]!.alsoRules).toEqual(["kubernetes.pdb.changed"]);
  });

  it("merges within a file, never across files", () => {
    const { findings } = analyze([LIVENESS_CUT, TIMEOUT_BARE]);
    expect(
      findings
        .filter((finding) => finding.alsoRules)
        .map((finding) => `${finding.file}: ${finding.rule} + ${finding.alsoRules!.join(", ")}`),
    ).toEqual([
      `${K8S_PATH}: kubernetes.liveness.aggressive + lb.health-check.detection-too-fast`,
      `${HAPROXY_PATH}: haproxy.duration.unit-suspect + haproxy.timeout.cut`,
    ]);
  });
});

describe("a merged finding in markdown", () => {
  it("names the other rule and shows its reason once", () => {
    const [finding] = analyze([LIVENESS_CUT]).findings;
    const lines = findingLines(finding!);
    expect(lines[0]).toContain("(also `lb.health-check.detection-too-fast`)");
    expect(
      lines.filter((line) => line.includes("restarts a failing target after 6 s")),
    ).toHaveLength(1);
    expect(
      lines.filter((line) => line.includes("Safe:")),
      "the advice once",
    ).toHaveLength(1);
  });
});

describe("mergeOverlaps (docs/output.md 'Merged findings')", () => {
  const finding = (rule: string, severity: Finding["severity"], extra: Partial<Finding> = {}) =>
    ({
      rule,
      severity,
      file: "k8s/web.yaml",
      line: 20,
      path: "spec.template",
      message: `${rule} says so`,
      checklist: [`check ${rule}`],
      ...extra,
    }) as Finding;
  const LIVENESS = "kubernetes.liveness.aggressive";
  const DETECTION = "lb.health-check.detection-too-fast";
  const FIX = { line: 20, replacement: "          failureThreshold: 3" };

  it("keeps the first on a tie, and takes another rule's fix when the primary has none", () => {
    const [merged, ...rest] = mergeOverlaps([
      finding(DETECTION, "high"),
      finding(LIVENESS, "high", { fix: FIX }),
    ]);
    expect(rest).toEqual([]);
    expect(merged!.rule).toBe(DETECTION);
    expect(merged!.alsoRules).toEqual([LIVENESS]);
    expect(merged!.fix).toEqual(FIX);
    expect(merged!.checklist).toEqual([`check ${DETECTION}`, `check ${LIVENESS}`]);
  });

  it("keeps the primary's own fix over another rule's", () => {
    const own = { line: 20, replacement: "          periodSeconds: 10" };
    const [merged] = mergeOverlaps([
      finding(DETECTION, "medium", { fix: FIX }),
      finding(LIVENESS, "high", { fix: own }),
    ]);
    expect(merged!.rule).toBe(LIVENESS);
    expect(merged!.fix).toEqual(own);
  });

  it("merging again (the workspace's findings join the file's) keeps every rule, reason and the highest severity", () => {
    const STARTUP = "kubernetes.startup.budget-too-small";
    const [once] = mergeOverlaps([finding(DETECTION, "high"), finding(LIVENESS, "medium")]);
    const again = mergeOverlaps([once!, finding(STARTUP, "critical")]);
    const rules = again.flatMap((merged) => [merged.rule, ...(merged.alsoRules ?? [])]);
    expect(rules.sort()).toEqual([DETECTION, STARTUP, LIVENESS].sort());
    const messages = again.flatMap((merged) =>
      (merged.reasons ?? [merged]).map((reason) => reason.message),
    );
    expect(messages.sort()).toEqual(
      [DETECTION, LIVENESS, STARTUP].map((rule) => `${rule} says so`).sort(),
    );
    expect(again.map((merged) => merged.severity)).toContain("critical");
    expect(again.flatMap((merged) => merged.checklist).sort()).toEqual(
      [DETECTION, LIVENESS, STARTUP].map((rule) => `check ${rule}`).sort(),
    );
  });

  it("a finding merged already joins another only when that one pairs with each of its rules", () => {
    const PDB = "kubernetes.pdb.changed";
    const DELETED = "kubernetes.workload-deleted";
    const [once] = mergeOverlaps([finding(DELETED, "high"), finding(PDB, "medium")]);
    // The second budget finding is not the deletion's: the merged one holds a pdb.changed already.
    const twice = mergeOverlaps([once!, finding(PDB, "high", { message: "again" })]);
    expect(twice.map((merged) => merged.rule)).toEqual([DELETED, PDB]);
    expect(twice[0]!.reasons?.map((reason) => reason.message)).toEqual([
      `${DELETED} says so`,
      `${PDB} says so`,
    ]);
  });

  it("does not merge a pair on another line, another path, or rules that are not a pair", () => {
    const apart = [
      finding(DETECTION, "high"),
      finding(LIVENESS, "high", { line: 21 }),
      finding(LIVENESS, "high", { path: "spec.other" }),
      finding("kubernetes.replicas.reduced", "high"),
    ];
    expect(mergeOverlaps(apart)).toEqual(apart);
  });
});
