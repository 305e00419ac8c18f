import { describe, expect, it } from "vitest";
import { analyze, analyzeFile } from "../../src/engine/analyze.js";
import { DEFAULT_SETTINGS } from "../../src/engine/settings.js";
import { RULES } from "../../src/rules/catalog.js";
import { defineRule } from "../../src/rules/types.js";

describe("engine", () => {
  it("turns a head that does not parse into a high parse.failed finding with the parser's line", () => {
    const file = analyzeFile({ path: "lb.tf", before: "a = 1\n", after: "a = 1\nb = {\n" });
    expect(file.findings).toMatchObject([
      { rule: "parse.failed", severity: "high", file: "lb.tf" },
    ]);
    expect(file.findings[0]!.message).toMatch(/does not parse as hcl \(line \d+: /);
  });

  it("reports a base that does not parse at medium and judges against an empty file", () => {
    const file = analyzeFile({ path: "x.json", before: "{", after: '{"a": 1}' });
    expect(file.findings).toMatchObject([{ rule: "parse.failed", severity: "medium" }]);
    expect(file.changes).toMatchObject([{ kind: "added", path: "a" }]);
  });

  it("refuses files over the size limit with file.too-large", () => {
    const file = analyzeFile(
      { path: "big.yaml", before: null, after: "a: 1\n".repeat(100) },
      { ...DEFAULT_SETTINGS, maxFileBytes: 100 },
    );
    expect(file.findings).toMatchObject([{ rule: "file.too-large", severity: "high" }]);
  });

  it("analyzes Helm templates as text, never as a parse failure", () => {
    const template = (replicas: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "x.fullname" . }}\nspec:\n{{- if .Values.enabled }}\n  replicas: ${replicas}\n{{- end }}\n  template:\n    spec:\n      containers:\n{{ toYaml .Values.containers | indent 8 }}\n`;
    const file = analyzeFile({
      path: "chart/templates/deploy.yaml",
      before: template("{{ .Values.replicas }}"),
      after: template("3"),
    });
    expect(file.findings).toEqual([]);
    expect(file.template).toBe(true);
    expect(file.changes).toMatchObject([
      { path: "spec.replicas", before: "{{ .Values.replicas }}", after: 3 },
    ]);
  });

  it("takes the PR's risk as the highest finding", () => {
    const analysis = analyze([
      { path: "a.json", before: "{", after: '{"a": 1}' },
      { path: "b.tf", before: "a = 1\n", after: "a = \n" },
    ]);
    expect(analysis.risk).toBe("high");
    expect(analyze([]).risk).toBe("none");
  });

  it("runs a rule only on files of the dialects it reads", () => {
    // A rule that reports every file it is given: the engine alone decides which files those are.
    const everything = defineRule({
      id: "custom.terraform-only",
      family: "generic",
      title: "Reports every Terraform file",
      description: "A probe of the engine's dialect gate.",
      severity: "low",
      params: {},
      dialects: ["terraform"],
      check: () => [{ severity: "low", line: 1, message: "seen", checklist: ["-"] }],
    });
    const settings = { ...DEFAULT_SETTINGS, extraRules: [everything] };
    const seen = (path: string, text: string) =>
      analyze([{ path, before: text, after: text.replace("web", "api") }], settings)
        .findings.filter((finding) => finding.rule === everything.id)
        .map((finding) => finding.file);
    expect(seen("lb.tf", 'a = "web"')).toEqual(["lb.tf"]);
    expect(seen("docker-compose.yml", "services:\n  web:\n    image: nginx")).toEqual([]);
    expect(seen("deploy.yaml", "kind: Service\napiVersion: v1\nmetadata:\n  name: web")).toEqual(
      [],
    );
  });

  it("has unique, stable-looking rule ids", () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/);
  });
});

describe("Helm templates with unquoted actions", () => {
  it("reads `name: {{ .Release.Name }}` as a template value on both sides, even when the side is valid YAML", () => {
    const doc = (replicas: number) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: ${replicas}\n`;
    const file = analyzeFile({
      path: "chart/templates/deploy.yaml",
      before: doc(3),
      after: doc(2),
    });
    expect(file.template).toBe(true);
    expect(file.changes).toMatchObject([{ path: "spec.replicas", before: 3, after: 2 }]);
    expect(analyzeFile({ path: "t.yaml", before: null, after: doc(1) }).changes).toContainEqual(
      expect.objectContaining({ path: "metadata", after: { name: "{{ .Release.Name }}" } }),
    );
  });
});

describe("other templated configs", () => {
  it("analyzes a consul-template nginx file as text, reported as unreadable, not as a parse failure", () => {
    const conf = (port: number) =>
      `upstream app {\n{{range service "app"}}  server {{.Address}}:{{.Port}};\n{{end}}}\nserver {\n  listen ${port};\n  location / { proxy_pass http://app; }\n}\n`;
    const file = analyzeFile({ path: "nginx/app.conf", before: conf(80), after: conf(8080) });
    // Never "no risk": the engine cannot read it, so a reviewer must (issue 10, item 3).
    expect(file).toMatchObject({
      format: "text",
      template: true,
      findings: [{ rule: "template.unreadable", severity: "medium", line: 5 }],
    });
    expect(file.changes.length).toBeGreaterThan(0);
  });

  it("still fails closed on an nginx file that is simply broken", () => {
    const file = analyzeFile({
      path: "nginx/app.conf",
      before: "server {\n}\n",
      after: "server {\n",
    });
    expect(file.findings).toMatchObject([{ rule: "parse.failed", severity: "high" }]);
  });
});
