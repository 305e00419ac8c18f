// Helm templates are YAML only after rendering; the engine neutralises template actions so that the
// literal structure is still judged, and reports a template it cannot read instead of "no risk".
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { isInfraFile } from "../../src/engine/select.js";
import { parseSource } from "../../src/formats/index.js";
import { neutraliseTemplate } from "../../src/formats/helm-template.js";
import { at, scalarAt } from "../../src/formats/tree.js";

const deployment = (replicas: number, period: number, threshold: number): string =>
  [
    "{{/*",
    "  The web tier. Replicas are tuned for the holiday peak:",
    "  see the capacity plan before lowering them.",
    "*/}}",
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    '  name: {{ include "web.fullname" . }}',
    "  {{- /* labels shared with the Service */ -}}",
    "  labels:",
    '    {{- include "web.labels" . | nindent 4 }}',
    "spec:",
    `  replicas: ${replicas}`,
    "  template:",
    "    spec:",
    "      containers:",
    "        - name: web",
    '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
    "          {{- /*",
    "            The probe follows the load balancer's health check.",
    "          */}}",
    "          readinessProbe:",
    "            httpGet: { path: /healthz, port: 8080 }",
    `            periodSeconds: ${period}`,
    `            failureThreshold: ${threshold}`,
    "          livenessProbe:",
    "            httpGet: { path: /healthz, port: 8080 }",
    `            periodSeconds: ${period}`,
    `            failureThreshold: ${threshold}`,
    "",
  ].join("\n");

describe("Helm templates with template comments", () => {
  it("keep their literal structure and line numbers when comments span lines", () => {
    const parsed = parseSource("yaml", deployment(6, 10, 3));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.template).toBe(true);
    expect(scalarAt(parsed.tree, "spec", "replicas")).toBe(6);
    expect(at(parsed.tree, "spec", "replicas")?.line).toBe(13);
  });

  it("neutralise a comment inside a line and one that spans lines, keeping every newline", () => {
    const source = "a: 1 {{/* x */}}\n{{- /* one\ntwo */ -}}\nb: 2\n";
    const out = neutraliseTemplate(source);
    expect(out.split("\n")).toHaveLength(source.split("\n").length);
    expect(out).not.toContain("two");
    // Text between two actions on one line is content, not an action-only line.
    expect(neutraliseTemplate("{{ if .x }}replicas: 3{{ end }}")).toContain("replicas");
  });

  it("judge replicas 6→1 and a 1 s × 1 probe in a commented template", () => {
    const analysis = analyze([
      {
        path: "charts/web/templates/deployment.yaml",
        before: deployment(6, 10, 3),
        after: deployment(1, 1, 1),
      },
    ]);
    const [file] = analysis.files;
    expect(file?.dialect).toBe("kubernetes");
    expect(file?.template).toBe(true);
    const rules = analysis.findings.map((finding) => finding.rule);
    expect(rules).toContain("kubernetes.replicas.reduced");
    expect(analysis.findings.find((f) => f.rule === "kubernetes.replicas.reduced")?.line).toBe(13);
    expect(rules.some((rule) => /liveness|probe/.test(rule))).toBe(true);
    expect(analysis.risk).not.toBe("none");
  });
});

describe("a template the engine cannot read", () => {
  const unreadable = (replicas: number): string =>
    [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "spec:",
      "{{ if .Values.ha }}  replicas: {{ .Values.replicas }}{{ else }}",
      `  replicas: ${replicas}`,
      "  selector: [ {{ end }}",
      "",
    ].join("\n");

  it("is reported with a finding on the changed lines, never as no risk", () => {
    const analysis = analyze([
      { path: "charts/web/templates/deployment.yaml", before: unreadable(6), after: unreadable(1) },
    ]);
    const findings = analysis.findings.filter((finding) => finding.rule === "template.unreadable");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.line).toBe(5);
    expect(analysis.risk).not.toBe("none");
  });

  it("is reported at high when this change made a readable template unreadable", () => {
    const readable = ["apiVersion: apps/v1", "kind: Deployment", "spec:", "  replicas: 6", ""].join(
      "\n",
    );
    const analysis = analyze([
      { path: "charts/web/templates/deployment.yaml", before: readable, after: unreadable(1) },
    ]);
    const finding = analysis.findings.find((f) => f.rule === "template.unreadable");
    expect(finding?.severity).toBe("high");
  });

  it("raises nothing when the template did not change", () => {
    const analysis = analyze([
      { path: "charts/web/templates/deployment.yaml", before: unreadable(1), after: unreadable(1) },
    ]);
    expect(analysis.findings).toEqual([]);
  });
});

describe("which templates are infrastructure", () => {
  const selection = { include: [], exclude: [], formatOverride: () => undefined };
  it.each([["charts/web/templates/deployment.yaml"], ["charts/web/templates/web/deployment.yaml"]])(
    "%s, a template even when it cannot be read",
    (path) => {
      expect(isInfraFile(path, "{{- if .Values.x }}\nspec: [\n{{- end }}\n", selection)).toBe(true);
    },
  );
});

describe("Helm values files for an environment", () => {
  const values = (replicas: number): string =>
    `image:\n  tag: "1.2.3"\nreplicaCount: ${replicas}\n`;

  it.each([
    ["charts/web/values.yaml"],
    ["charts/web/values-prod.yaml"],
    ["charts/web/values.prod.yaml"],
    ["charts/web/prod-values.yaml"],
    ["charts/web/prod.values.yml"],
    ["charts/web/values/prod.yaml"],
    ["values/eu-west-1.yaml"],
  ])("%s is Helm values: a replicaCount cut is judged", (path) => {
    const analysis = analyze([{ path, before: values(6), after: values(1) }]);
    expect(analysis.files[0]?.dialect).toBe("helm-values");
    expect(analysis.findings.map((finding) => finding.rule)).toContain(
      "kubernetes.helm.replica-count-reduced",
    );
    expect(
      isInfraFile(path, values(1), { include: [], exclude: [], formatOverride: () => undefined }),
    ).toBe(true);
  });

  it.each([["charts/web/Chart.yaml"], ["config/prod.yaml"], ["docs/values.md"]])(
    "%s is not taken for Helm values",
    (path) => {
      const analysis = analyze([{ path, before: values(6), after: values(1) }]);
      expect(analysis.files[0]?.dialect).not.toBe("helm-values");
    },
  );
});
