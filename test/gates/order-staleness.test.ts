// An approval covers the order it saw: reordering first-match rules after the review makes it stale,
// reordering what has no order (servers of a pool) keeps it.
import { describe, expect, it } from "vitest";
import { bobsApproval } from "./builders.js";

const haproxy = (rules: readonly string[], servers: readonly string[], timeout: string): string =>
  [
    "defaults",
    `  timeout client ${timeout}`,
    "frontend web",
    "  bind :80",
    "  acl admin path_beg /admin",
    "  acl office src 10.0.0.0/8",
    ...rules.map((rule) => `  http-request ${rule}`),
    "  default_backend app",
    "backend app",
    ...servers.map((server) => `  server ${server} check`),
    "",
  ].join("\n");

const RULES = ["allow if admin office", "deny if admin"];
const SERVERS = ["a 10.0.0.1:80", "b 10.0.0.2:80"];
// The reviewed change raises a timeout; the rules and servers are as on the base.
const BASE = haproxy(RULES, SERVERS, "30s");
const REVIEWED = haproxy(RULES, SERVERS, "60s");

const envoy = (routes: readonly string[]): string =>
  [
    "static_resources:",
    "  listeners: []",
    "route_config:",
    "  virtual_hosts:",
    "    - name: all",
    "      domains: ['*']",
    "      routes:",
    ...routes.map(
      (name) =>
        `        - { name: ${name}, match: { prefix: "/${name === "all" ? "" : name}" }, route: { cluster: ${name} } }`,
    ),
    "",
  ].join("\n");

describe("approvals and the order of ordered lists", () => {
  it("a push that swaps the base's http-request rules makes the earlier approval stale", () => {
    // The deny now runs first: the office no longer reaches /admin.
    const head = haproxy([...RULES].reverse(), SERVERS, "60s");
    expect(bobsApproval("deploy/haproxy.cfg", BASE, REVIEWED, head)).toMatchObject({
      counted: false,
      reason: "approved abc1234; the infrastructure change has changed since",
    });
  });

  it("a push that only reorders the servers of the pool keeps it", () => {
    const head = haproxy(RULES, [...SERVERS].reverse(), "60s");
    expect(bobsApproval("deploy/haproxy.cfg", BASE, REVIEWED, head)).toMatchObject({
      counted: true,
    });
  });

  it("a push that moves a reviewed new named route from last (unreachable) to first makes it stale", () => {
    const base = envoy(["api", "all"]);
    const reviewed = envoy(["api", "all", "debug"]);
    const head = envoy(["debug", "api", "all"]);
    expect(bobsApproval("envoy/envoy.yaml", base, reviewed, head)).toMatchObject({
      counted: false,
    });
  });
});
