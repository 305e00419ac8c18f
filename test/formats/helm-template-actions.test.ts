// A Helm template's actions are set aside to read its literal structure; a change to an action the
// tree does not show (a condition, an include, an action inside a key or a quoted string) is
// reported (`template.action-changed`), never passed as no change.
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { hiddenActionLines } from "../../src/formats/helm-template.js";

const deployment = (
  condition: string,
  name: string,
  resources: string,
  replicas = 3,
): string => `{{- if ${condition} }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ ${name} }}
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: web
          image: "nginx:{{ .Values.tag }}"
          resources:
            {{- toYaml ${resources}
              | nindent 12 }}
{{- end }}
`;

const before = deployment(".Values.enabled", ".Values.name", ".Values.resources");
const rules = (after: string): string[] =>
  analyze([{ path: "chart/templates/web.yaml", before, after }]).findings.map(
    (finding) => `${finding.rule} ${finding.line}`,
  );

describe("template.action-changed", () => {
  it("fires when a condition that decides the whole object changes", () => {
    const analysis = analyze([
      {
        path: "chart/templates/web.yaml",
        before,
        after: deployment("false", ".Values.name", ".Values.resources"),
      },
    ]);
    expect(
      analysis.findings.map((finding) => [finding.rule, finding.severity, finding.line]),
    ).toEqual([["template.action-changed", "medium", 1]]);
    expect(analysis.risk).toBe("medium");
    expect(analysis.files[0]?.changes.map((change) => change.path)).toEqual(["lines 1-4"]);
  });

  it("fires on an action written over several lines, at its line", () => {
    expect(rules(deployment(".Values.enabled", ".Values.name", ".Values.tiny"))).toEqual([
      "template.action-changed 14",
    ]);
  });

  it("does not fire when the changed action is a value the tree shows, nor on literal changes", () => {
    expect(rules(deployment(".Values.enabled", ".Values.other", ".Values.resources"))).toEqual([]);
    const literal = analyze([
      {
        path: "chart/templates/web.yaml",
        before,
        after: deployment(".Values.enabled", ".Values.name", ".Values.resources", 2),
      },
    ]);
    expect(literal.findings.map((finding) => finding.rule)).not.toContain(
      "template.action-changed",
    );
    expect(literal.files[0]?.changes.map((change) => change.path)).toEqual(["spec.replicas"]);
  });

  it("does not fire on a comment", () => {
    const commented = `{{/* the web tier */}}\n${before}`;
    const recommented = `{{/* the web tier, served by nginx */}}\n${before}`;
    const analysis = analyze([
      { path: "chart/templates/web.yaml", before: commented, after: recommented },
    ]);
    expect(analysis.findings).toEqual([]);
  });
});

describe("hiddenActionLines", () => {
  it("names action-only lines, every line of a multi-line action, and placeholders", () => {
    expect([...hiddenActionLines(before)].sort((a, b) => a - b)).toEqual([1, 12, 14, 15, 16]);
  });
});
