// An approval covers the embedded config it saw: reformatting inside the ConfigMap's string keeps
// it, a change of meaning inside the string (a new evaluation order included) makes it stale.
import { describe, expect, it } from "vitest";
import { bobsApproval } from "../gates/builders.js";

const PATH = "k8s/haproxy-configmap.yaml";

const configMap = (rules: readonly string[], timeout: string, indent = "    "): string =>
  [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: lb",
    "data:",
    "  haproxy.cfg: |",
    ...[
      "defaults",
      `  timeout client ${timeout}`,
      "frontend web",
      "  bind :80",
      "  acl admin path_beg /admin",
      "  acl office src 10.0.0.0/8",
      ...rules.map((rule) => `  http-request ${rule}`),
      "  default_backend app",
      "backend app",
      "  server a 10.0.0.1:80 check",
    ].map((line) => `${indent}${line}`),
    "",
  ].join("\n");

const RULES = ["allow if admin office", "deny if admin"];
const BASE = configMap(RULES, "30s");
const REVIEWED = configMap(RULES, "60s");

describe("approvals and an embedded haproxy.cfg", () => {
  it("a push that only re-indents and comments the embedded config keeps the approval", () => {
    const head = configMap(RULES, "60s", "      ").replace(
      "  haproxy.cfg: |",
      "  haproxy.cfg: |\n      # owned by the edge team",
    );
    expect(bobsApproval(PATH, BASE, REVIEWED, head)).toMatchObject({ counted: true });
  });

  it("a push that changes a value inside the embedded config makes it stale", () => {
    expect(bobsApproval(PATH, BASE, REVIEWED, configMap(RULES, "5s"))).toMatchObject({
      counted: false,
    });
  });

  it("a push that swaps its http-request rules makes it stale", () => {
    expect(
      bobsApproval(PATH, BASE, REVIEWED, configMap([...RULES].reverse(), "60s")),
    ).toMatchObject({
      counted: false,
    });
  });
});
