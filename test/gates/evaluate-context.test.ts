/**
 * The snapshot's `context` (docs/snapshot.md): unchanged files beside the change that the
 * cross-file rules read. It changes what the rules see, never the change set approvals are for.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/gates/evaluate.js";
import { checkSnapshot } from "../../src/gates/snapshot-schema.js";
import { CONTEXT_TRUNCATED_NOTE } from "../../src/gates/verdict.js";
import { checkRunOutput } from "../../src/render/check-run.js";
import { commentBody } from "../../src/render/comment.js";
import { snapshot } from "./builders.js";

const deployment = (app: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n        - name: web\n          image: web:1\n          ports:\n            - containerPort: 8080\n`;
const SERVICE = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 8080\n`;

const relabel = snapshot({
  files: [
    {
      path: "k8s/deployment.yaml",
      status: "modified",
      before: deployment("web"),
      after: deployment("web-v2"),
    },
  ],
});
const withService = { ...relabel, context: [{ path: "k8s/service.yaml", text: SERVICE }] };

describe("the snapshot's context", () => {
  it("is read by the cross-file rules: the unchanged Service no longer selects the relabelled Deployment", () => {
    const ids = (pull: typeof relabel) =>
      evaluate(pull).analysis.findings.map((finding) => finding.rule);
    expect(ids(withService)).toContain("cross.service.workload-mismatch");
    expect(ids(relabel)).not.toContain("cross.service.workload-mismatch");
  });

  it("is not part of the change set: the same change with or without it has one change set id", () => {
    const without = evaluate(relabel).verdict.changeSet;
    expect(without).toBeDefined();
    expect(evaluate(withService).verdict.changeSet).toBe(without);
    const other = {
      ...relabel,
      context: [{ path: "k8s/service.yaml", text: SERVICE.replace("80", "81") }],
    };
    expect(evaluate(other).verdict.changeSet).toBe(without);
  });

  it("is optional in a snapshot file (older snapshots have none), and validated when present", () => {
    const plain = JSON.parse(JSON.stringify(relabel)) as Record<string, unknown>;
    expect(checkSnapshot(plain).ok).toBe(true);
    expect(
      checkSnapshot({
        ...plain,
        context: [{ path: "k8s/service.yaml", text: SERVICE }],
        contextTruncated: true,
      }),
    ).toMatchObject({ ok: true, snapshot: { contextTruncated: true } });
    expect(checkSnapshot({ ...plain, context: [{ path: "k8s/service.yaml" }] })).toMatchObject({
      ok: false,
      path: "context.0.text",
    });
  });

  it("read only in part is said in the check run and the sticky comment, since a finding across files may be missing", () => {
    const partial = evaluate({ ...withService, contextTruncated: true });
    expect(partial.contextTruncated).toBe(true);
    expect(checkRunOutput(partial).text).toContain(CONTEXT_TRUNCATED_NOTE);
    expect(commentBody({ evaluation: partial, state: { ticks: [] } })).toContain(
      CONTEXT_TRUNCATED_NOTE,
    );
    const whole = evaluate(withService);
    expect(whole.contextTruncated).toBeUndefined();
    expect(checkRunOutput(whole).text).not.toContain(CONTEXT_TRUNCATED_NOTE);
    expect(commentBody({ evaluation: whole, state: { ticks: [] } })).not.toContain(
      CONTEXT_TRUNCATED_NOTE,
    );
  });
});
