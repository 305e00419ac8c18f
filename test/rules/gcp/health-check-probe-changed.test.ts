import healthCheckProbeChanged from "../../../src/rules/gcp/health-check-probe-changed.js";
import { ruleTable } from "../rule-table.js";
import { healthCheck, httpProbe } from "./builders.js";

ruleTable(healthCheckProbeChanged, {
  path: "lb.tf",
  cases: [
    {
      name: "a new request path",
      before: healthCheck(httpProbe('    port         = 8080\n    request_path = "/"')),
      after: healthCheck(httpProbe('    port         = 8080\n    request_path = "/healthz"')),
      expect: [{ severity: "high", line: "request_path", phrase: "request_path `/` → `/healthz`" }],
    },
    {
      name: "HTTP → TCP",
      before: healthCheck(httpProbe("    port = 8080")),
      after: healthCheck("  tcp_health_check {\n    port = 8080\n  }"),
      expect: [
        {
          severity: "medium",
          line: "tcp_health_check",
          phrase: "only checks that the port accepts connections",
        },
      ],
    },
    {
      name: "legacy HTTP check port",
      before:
        'resource "google_compute_http_health_check" "pool" {\n  name = "pool"\n  port = 80\n}\n',
      after:
        'resource "google_compute_http_health_check" "pool" {\n  name = "pool"\n  port = 8080\n}\n',
      expect: [{ severity: "high", line: "port = 8080", phrase: "port 80 → 8080" }],
    },
    {
      name: "the default port made explicit",
      before: healthCheck(httpProbe('    request_path = "/"')),
      after: healthCheck(httpProbe('    request_path = "/"\n    port         = 80')),
      expect: [],
    },
    {
      name: "only the timing changes (the lb.health-check rules judge it)",
      before: healthCheck(httpProbe('    request_path = "/"')),
      after: healthCheck(httpProbe('    request_path = "/"'), "  check_interval_sec = 10"),
      expect: [],
    },
  ],
});
