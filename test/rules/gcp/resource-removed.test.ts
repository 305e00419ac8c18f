import resourceRemoved from "../../../src/rules/gcp/resource-removed.js";
import { ruleTable } from "../rule-table.js";
import { healthCheck, httpProbe, service } from "./builders.js";

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

ruleTable(resourceRemoved, {
  path: "lb.tf",
  cases: [
    {
      name: "a forwarding rule",
      before: forwardingRule + urlMap,
      after: urlMap,
      expect: [
        {
          severity: "high",
          line: "google_compute_global_forwarding_rule",
          phrase: "stop accepting traffic",
          side: "before",
        },
      ],
    },
    {
      name: "a backend service the URL map still uses",
      before: service("") + urlMap,
      after: urlMap,
      expect: [
        {
          severity: "medium",
          line: 'resource "google_compute_backend_service"',
          phrase: "google_compute_url_map.web still refers",
          side: "before",
        },
      ],
    },
    {
      name: "a health check",
      before: healthCheck(httpProbe("    port = 80")) + urlMap,
      after: urlMap,
      expect: [
        {
          severity: "medium",
          line: 'resource "google_compute_health_check"',
          phrase: "lose their health checking",
          side: "before",
        },
      ],
    },
    {
      name: "renamed with a moved block",
      before: forwardingRule,
      after:
        forwardingRule.replace('"web" {', '"main" {') +
        "moved {\n  from = google_compute_global_forwarding_rule.web\n  to   = google_compute_global_forwarding_rule.main\n}\n",
      expect: [],
    },
  ],
});
