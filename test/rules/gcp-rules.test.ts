import { describe, expect, it } from "vitest";
import { analyze } from "../../src/engine/analyze.js";
import { GCP_RULES } from "../../src/rules/gcp/index.js";
import { markerFamily } from "./table.js";

const { table, describeChecks } = markerFamily({
  family: "gcp",
  rules: GCP_RULES,
  minRules: 3,
  path: "lb.tf",
});

const backend = (group: string, extra = "") =>
  `  backend {\n    group = ${group}${extra ? `\n    ${extra}` : ""}\n  }`;
const GROUP_A = "google_compute_instance_group_manager.a.instance_group";
const GROUP_B = "google_compute_instance_group_manager.b.instance_group";
const GROUP_C = "google_compute_instance_group_manager.c.instance_group";
const GROUP_D = "google_compute_instance_group_manager.d.instance_group";

function service(
  attrs: string,
  backends: string[] = [backend(GROUP_A)],
  type = "google_compute_backend_service",
) {
  return `resource "${type}" "web" {
  name          = "web"
  health_checks = [google_compute_health_check.web.id]
${attrs}
${backends.join("\n")}
}
`;
}

function healthCheck(probe: string, attrs = "  check_interval_sec = 5") {
  return `resource "google_compute_health_check" "web" {
  name = "web"
${attrs}
${probe}
}
`;
}

const httpProbe = (body: string) => `  http_health_check {\n${body}\n  }`;

table("gcp.backend-service.draining-cut", [
  {
    name: "global default 300 s → 5 s",
    before: service(""),
    after: service("  connection_draining_timeout_sec = 5"),
    expect: {
      severity: "high",
      marker: "connection_draining_timeout_sec = 5",
      phrase: "from 5 min to 5 s",
    },
  },
  {
    name: "300 s → 60 s",
    before: service("  connection_draining_timeout_sec = 300"),
    after: service("  connection_draining_timeout_sec = 60"),
    expect: {
      severity: "medium",
      marker: "connection_draining_timeout_sec = 60",
      phrase: "still running 60 s after",
    },
  },
  {
    name: "regional services default to 0: any value is a raise",
    before: service("", undefined, "google_compute_region_backend_service"),
    after: service(
      "  connection_draining_timeout_sec = 30",
      undefined,
      "google_compute_region_backend_service",
    ),
    expect: null,
  },
  {
    name: "a raise",
    before: service("  connection_draining_timeout_sec = 300"),
    after: service("  connection_draining_timeout_sec = 600"),
    expect: null,
  },
]);

table("gcp.backend-service.backend-removed", [
  {
    name: "one of three backends removed",
    before: service("", [backend(GROUP_A), backend(GROUP_B), backend(GROUP_C)]),
    after: service("", [backend(GROUP_A), backend(GROUP_B)]),
    expect: {
      severity: "high",
      marker: 'resource "google_compute_backend_service"',
      phrase: "loses 1 of 3 backends",
    },
  },
  {
    name: "one of four backends removed",
    before: service("", [backend(GROUP_A), backend(GROUP_B), backend(GROUP_C), backend(GROUP_D)]),
    after: service("", [backend(GROUP_A), backend(GROUP_B), backend(GROUP_C)]),
    expect: {
      severity: "medium",
      marker: 'resource "google_compute_backend_service"',
      phrase: "25% of traffic",
    },
  },
  {
    name: "capacity_scaler 0 drains a backend",
    before: service("", [backend(GROUP_A), backend(GROUP_B)]),
    after: service("", [backend(GROUP_A), backend(GROUP_B, "capacity_scaler = 0")]),
    expect: { severity: "high", marker: "capacity_scaler = 0", phrase: "scaled to capacity 0" },
  },
  {
    name: "the last backend goes",
    before: service("", [backend(GROUP_A)]),
    after: service("", []),
    expect: {
      severity: "high",
      marker: 'resource "google_compute_backend_service"',
      phrase: "every request fails",
    },
  },
  {
    name: "a backend swapped for another group",
    before: service("", [backend(GROUP_A), backend(GROUP_B)]),
    after: service("", [backend(GROUP_A), backend(GROUP_C)]),
    expect: {
      severity: "medium",
      marker: 'resource "google_compute_backend_service"',
      phrase: "swaps backend",
    },
  },
  {
    name: "backends reordered",
    before: service("", [backend(GROUP_A), backend(GROUP_B)]),
    after: service("", [backend(GROUP_B), backend(GROUP_A)]),
    expect: null,
  },
  {
    name: "dynamic backends cannot be judged",
    before: service("", [backend(GROUP_A), backend(GROUP_B)]),
    after: service("", [
      '  dynamic "backend" {\n    for_each = var.groups\n    content {\n      group = backend.value\n    }\n  }',
    ]),
    expect: null,
  },
]);

table("gcp.backend-service.locality-policy-changed", [
  {
    name: "ROUND_ROBIN → LEAST_REQUEST",
    before: service('  load_balancing_scheme = "EXTERNAL_MANAGED"'),
    after: service(
      '  load_balancing_scheme = "EXTERNAL_MANAGED"\n  locality_lb_policy    = "LEAST_REQUEST"',
    ),
    expect: {
      severity: "medium",
      marker: "locality_lb_policy",
      phrase: "LEAST_REQUEST instead of ROUND_ROBIN",
    },
  },
  {
    name: "leaving RING_HASH while session affinity is set",
    before: service('  session_affinity   = "HEADER_FIELD"\n  locality_lb_policy = "RING_HASH"'),
    after: service('  session_affinity   = "HEADER_FIELD"\n  locality_lb_policy = "ROUND_ROBIN"'),
    expect: {
      severity: "high",
      marker: 'locality_lb_policy = "ROUND_ROBIN"',
      phrase: "stop sticking",
    },
  },
  {
    name: "the default made explicit",
    before: service(""),
    after: service('  locality_lb_policy = "ROUND_ROBIN"'),
    expect: null,
  },
]);

table("gcp.health-check.probe-changed", [
  {
    name: "a new request path",
    before: healthCheck(httpProbe('    port         = 8080\n    request_path = "/"')),
    after: healthCheck(httpProbe('    port         = 8080\n    request_path = "/healthz"')),
    expect: { severity: "high", marker: "request_path", phrase: 'request_path "/" → "/healthz"' },
  },
  {
    name: "HTTP → TCP",
    before: healthCheck(httpProbe("    port = 8080")),
    after: healthCheck("  tcp_health_check {\n    port = 8080\n  }"),
    expect: {
      severity: "medium",
      marker: "tcp_health_check",
      phrase: "only checks that the port accepts connections",
    },
  },
  {
    name: "legacy HTTP check port",
    before:
      'resource "google_compute_http_health_check" "pool" {\n  name = "pool"\n  port = 80\n}\n',
    after:
      'resource "google_compute_http_health_check" "pool" {\n  name = "pool"\n  port = 8080\n}\n',
    expect: { severity: "high", marker: "port = 8080", phrase: "port 80 → 8080" },
  },
  {
    name: "the default port made explicit",
    before: healthCheck(httpProbe('    request_path = "/"')),
    after: healthCheck(httpProbe('    request_path = "/"\n    port         = 80')),
    expect: null,
  },
  {
    name: "only the timing changes (the lb.health-check rules judge it)",
    before: healthCheck(httpProbe('    request_path = "/"')),
    after: healthCheck(httpProbe('    request_path = "/"'), "  check_interval_sec = 10"),
    expect: null,
  },
]);

const urlMap = `resource "google_compute_url_map" "web" {
  name            = "web"
  default_service = google_compute_backend_service.web.id
}
`;
const forwardingRule = `resource "google_compute_global_forwarding_rule" "web" {
  name       = "web"
  target     = google_compute_target_http_proxy.web.id
  port_range = "80"
}
`;

table("gcp.resource.removed", [
  {
    name: "a forwarding rule",
    before: forwardingRule + urlMap,
    after: urlMap,
    expect: {
      severity: "high",
      marker: "google_compute_global_forwarding_rule",
      phrase: "stop accepting traffic",
      side: "before",
    },
  },
  {
    name: "a backend service the URL map still uses",
    before: service("") + urlMap,
    after: urlMap,
    expect: {
      severity: "medium",
      marker: 'resource "google_compute_backend_service"',
      phrase: "google_compute_url_map.web still refers",
      side: "before",
    },
  },
  {
    name: "a health check",
    before: healthCheck(httpProbe("    port = 80")) + urlMap,
    after: urlMap,
    expect: {
      severity: "medium",
      marker: 'resource "google_compute_health_check"',
      phrase: "lose their health checking",
      side: "before",
    },
  },
  {
    name: "renamed with a moved block",
    before: forwardingRule,
    after:
      forwardingRule.replace('"web" {', '"main" {') +
      "moved {\n  from = google_compute_global_forwarding_rule.web\n  to   = google_compute_global_forwarding_rule.main\n}\n",
    expect: null,
  },
]);

describe("lb.stickiness on GCP backend services", () => {
  it("does not judge a session_affinity written as an expression", () => {
    const result = analyze([
      {
        path: "lb.tf",
        before: service('  session_affinity = "CLIENT_IP"'),
        after: service("  session_affinity = var.affinity"),
      },
    ]);
    expect(result.findings.filter((f) => f.rule.startsWith("lb.stickiness"))).toEqual([]);
  });
});

describeChecks();
