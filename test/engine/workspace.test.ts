// The workspace view: context files are parsed once and never judged; cross-file rules run under
// the policy like file rules, only when there is more than one file.
import { describe, expect, it } from "vitest";
import { analyze, type ContextFile } from "../../src/engine/analyze.js";
import { DEFAULT_SETTINGS, type EngineSettings } from "../../src/engine/settings.js";
import {
  defineWorkspaceRule,
  type AnyRule,
  type Workspace,
  type WorkspaceDetection,
} from "../../src/rules/types.js";
import { deployment, service } from "../rules/cross/builders.js";

const changed = {
  path: "k8s/deployment.yaml",
  before: deployment(),
  after: deployment({ labels: "app: web-v2" }),
};
const svc: ContextFile = { path: "k8s/service.yaml", text: service() };
const RULE = "cross.service.workload-mismatch";

/** A cross-file rule that records what it saw and reports on the file `report` names. */
function spy(report?: (workspace: Workspace) => WorkspaceDetection[]): {
  rule: AnyRule;
  seen: Workspace[];
} {
  const seen: Workspace[] = [];
  const rule = defineWorkspaceRule({
    id: "cross.test-spy",
    family: "cross",
    scope: "workspace",
    title: "spy",
    description: "spy",
    severity: "high",
    params: {},
    dialects: ["kubernetes"],
    check(workspace) {
      seen.push(workspace);
      return report ? report(workspace) : [];
    },
  });
  return { rule, seen };
}

const withRules = (extraRules: AnyRule[], rules: EngineSettings["rules"] = {}): EngineSettings => ({
  ...DEFAULT_SETTINGS,
  rules,
  extraRules,
});

describe("the workspace view", () => {
  it("joins a changed file with a context file; the context file gets no analysis of its own", () => {
    const analysis = analyze([changed], DEFAULT_SETTINGS, [svc]);
    expect(analysis.files.map((file) => file.path)).toEqual(["k8s/deployment.yaml"]);
    expect(analysis.findings.filter((f) => f.rule === RULE)).toMatchObject([
      { file: "k8s/deployment.yaml", severity: "critical" },
    ]);
    expect(analysis.risk).toBe("critical");
  });

  it("without the context the same change has no cross-file finding", () => {
    expect(analyze([changed]).findings.filter((f) => f.rule === RULE)).toEqual([]);
  });

  it("takes the policy's settings: off, or re-rated", () => {
    const off = analyze([changed], { ...DEFAULT_SETTINGS, rules: { [RULE]: { enabled: false } } }, [
      svc,
    ]);
    expect(off.findings.filter((f) => f.rule === RULE)).toEqual([]);
    const rerated = analyze(
      [changed],
      { ...DEFAULT_SETTINGS, rules: { [RULE]: { severity: "medium" } } },
      [svc],
    );
    expect(rerated.findings.filter((f) => f.rule === RULE).map((f) => f.severity)).toEqual([
      "medium",
    ]);
  });

  it("does not run cross-file rules on a single file without context", () => {
    const { rule, seen } = spy();
    analyze([changed], withRules([rule]));
    expect(seen).toHaveLength(0);
    analyze([changed], withRules([rule]), [svc]);
    expect(seen).toHaveLength(1);
  });

  it("parses a context file once: the same tree on both sides, status unchanged", () => {
    const { rule, seen } = spy();
    analyze([changed], withRules([rule]), [svc]);
    const context = seen[0]!.files.find((file) => file.path === svc.path)!;
    expect(context.status).toBe("unchanged");
    expect(context.before).toBe(context.after);
    expect(context.changes).toEqual([]);
  });

  it("skips context that does not parse, is too large, is past the budget, or repeats a changed path", () => {
    const { rule, seen } = spy();
    const context: ContextFile[] = [
      { path: "k8s/broken.yaml", text: "kind: Service\n  bad: [\n" },
      { path: "k8s/big.yaml", text: service({ name: "big" }) + "#".repeat(2000) },
      { path: "k8s/deployment.yaml", text: deployment() },
      svc,
    ];
    analyze([changed], { ...withRules([rule]), maxFileBytes: 1500 }, context);
    expect(seen[0]!.files.map((file) => file.path)).toEqual([
      "k8s/deployment.yaml",
      "k8s/service.yaml",
    ]);
    const budget = changed.before.length + changed.after.length + 10;
    const { rule: rule2, seen: seen2 } = spy();
    analyze([changed], { ...withRules([rule2]), maxTotalBytes: budget }, [svc]);
    expect(seen2).toHaveLength(0);
  });

  it("never lets context stand in for a changed file the engine could not read (head unparsable)", () => {
    const { rule, seen } = spy();
    const broken = {
      path: "k8s/web.yaml",
      before: deployment(),
      after: "kind: Deployment\n  bad: [\n",
    };
    analyze([changed, broken], withRules([rule]), [
      { path: broken.path, text: deployment({ labels: "app: web-v2" }) },
      svc,
    ]);
    expect(seen[0]!.files.map((file) => file.path)).toEqual([changed.path, svc.path]);
  });

  it("drops a detection that names a context file: findings belong to the change", () => {
    const { rule } = spy(() => [
      { file: svc.path, line: 1, severity: "high", message: "x", checklist: ["x"] },
      { file: changed.path, line: 2, severity: "high", message: "y", checklist: ["y"] },
    ]);
    const analysis = analyze([changed], withRules([rule]), [svc]);
    expect(analysis.findings.filter((f) => f.rule === "cross.test-spy")).toMatchObject([
      { file: changed.path, line: 2, message: "y" },
    ]);
  });
});
