// The bounds on embedded configs (200 strings a side, no more text than the file's own) never
// leave a changed config unjudged in silence: a changed string named as a config that they left
// unread fails closed (evaluation.budget, high), at its line.
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";

const nginx = (timeout: string): string =>
  [
    "events {}",
    "http {",
    "  server {",
    "    listen 80;",
    "    location / {",
    "      proxy_pass http://app;",
    `      proxy_read_timeout ${timeout};`,
    "    }",
    "  }",
    "}",
  ]
    .map((line) => `    ${line}`)
    .join("\n");

/** A ConfigMap whose `padding` keys, each named as a YAML file, come before its nginx.conf. */
const configMap = (padding: number, timeout: string): string =>
  [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: edge",
    "data:",
    ...Array.from({ length: padding }, (_, i) => `  pad${i}.yaml: "key: value-number-${i}"`),
    "  nginx.conf: |",
    nginx(timeout),
    "",
  ].join("\n");

const budget = (padding: number, before: string, after: string) =>
  analyze([
    { path: "k8s/edge.yaml", before: configMap(padding, before), after: configMap(padding, after) },
  ]).findings.filter((finding) => finding.rule === "evaluation.budget");

describe("embedded configs past the bounds", () => {
  it("fail closed when one that changed was left unread", () => {
    const findings = budget(200, "60s", "1s");
    expect(findings.map((finding) => [finding.severity, finding.line])).toEqual([["high", 206]]);
    expect(findings[0]?.message).toContain("nginx.conf embedded in k8s/edge.yaml was not read");
  });

  it("say nothing when the unread one did not change, or when it was read", () => {
    const file = configMap(200, "60s");
    const edited = file.replace(
      'pad0.yaml: "key: value-number-0"',
      'pad0.yaml: "key: value-number-x"',
    );
    const analysis = analyze([{ path: "k8s/edge.yaml", before: file, after: edited }]);
    expect(analysis.findings.filter((finding) => finding.rule === "evaluation.budget")).toEqual([]);
    expect(budget(3, "60s", "1s")).toEqual([]);
  });

  it("is one finding however many unread configs changed (YAML aliases)", () => {
    const conf = (port: number): string =>
      `  base.conf: &conf |\n    server {\n      listen ${port};\n      location / { proxy_pass http://app; }\n    }\n`;
    const copies = Array.from({ length: 500 }, (_, i) => `  copy${i}.conf: *conf`).join("\n");
    const file = (port: number): string =>
      `apiVersion: v1\nkind: ConfigMap\ndata:\n${conf(port)}${copies}\n`;
    const findings = analyze([
      { path: "k8s/proxy.yaml", before: file(80), after: file(8080) },
    ]).findings.filter((finding) => finding.rule === "evaluation.budget");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toMatch(
      /^copy\d+\.conf, copy\d+\.conf embedded in k8s\/proxy\.yaml were not read as configs/,
    );
  });
});
