import { defineRule } from "../types.js";
import { removalFindings, type RemovableKind } from "../model/iac/removed-resources.js";

const KINDS: Record<string, RemovableKind> = {
  google_compute_backend_service: {
    noun: "backend service",
    severity: "high",
    consequence: "URL maps and forwarding rules that send traffic to it have nowhere to send it",
  },
  google_compute_region_backend_service: {
    noun: "regional backend service",
    severity: "high",
    consequence: "forwarding rules and URL maps that send traffic to it have nowhere to send it",
  },
  google_compute_target_pool: {
    noun: "target pool",
    severity: "high",
    consequence: "the forwarding rules that point at it stop delivering traffic",
  },
  google_compute_forwarding_rule: {
    noun: "forwarding rule",
    severity: "high",
    consequence: "its IP address and ports stop accepting traffic",
  },
  google_compute_global_forwarding_rule: {
    noun: "global forwarding rule",
    severity: "high",
    consequence: "its IP address and ports stop accepting traffic",
  },
  google_compute_url_map: {
    noun: "URL map",
    severity: "high",
    consequence: "the proxies that route with it stop routing requests",
  },
  google_compute_region_url_map: {
    noun: "regional URL map",
    severity: "high",
    consequence: "the proxies that route with it stop routing requests",
  },
  google_compute_target_http_proxy: {
    noun: "target HTTP proxy",
    severity: "high",
    consequence: "its forwarding rules stop serving HTTP",
  },
  google_compute_target_https_proxy: {
    noun: "target HTTPS proxy",
    severity: "high",
    consequence: "its forwarding rules stop serving HTTPS",
  },
  google_compute_region_target_http_proxy: {
    noun: "regional target HTTP proxy",
    severity: "high",
    consequence: "its forwarding rules stop serving HTTP",
  },
  google_compute_region_target_https_proxy: {
    noun: "regional target HTTPS proxy",
    severity: "high",
    consequence: "its forwarding rules stop serving HTTPS",
  },
  google_compute_target_tcp_proxy: {
    noun: "target TCP proxy",
    severity: "high",
    consequence: "its forwarding rules stop serving traffic",
  },
  google_compute_target_ssl_proxy: {
    noun: "target SSL proxy",
    severity: "high",
    consequence: "its forwarding rules stop serving traffic",
  },
  google_compute_backend_bucket: {
    noun: "backend bucket",
    severity: "high",
    consequence: "URL-map paths that serve it return errors",
  },
  google_compute_health_check: {
    noun: "health check",
    severity: "medium",
    consequence: "the backend services and instance groups that used it lose their health checking",
  },
  google_compute_region_health_check: {
    noun: "regional health check",
    severity: "medium",
    consequence: "the backend services that used it lose their health checking",
  },
  google_compute_http_health_check: {
    noun: "legacy HTTP health check",
    severity: "medium",
    consequence: "the target pools that used it lose their health checking",
  },
  google_compute_https_health_check: {
    noun: "legacy HTTPS health check",
    severity: "medium",
    consequence: "the target pools that used it lose their health checking",
  },
};

/** The GCP-specific deletion rule (the generic family skips Terraform files). */
export default defineRule({
  id: "gcp.resource.removed",
  family: "gcp",
  title: "GCP load-balancing resource deleted",
  description:
    "A backend service, target pool, forwarding rule, URL map, target proxy or backend bucket (high), or a " +
    "health check (medium), disappears from a Terraform file, so it is destroyed. The finding names the " +
    "resources that referred to it; if the new file still refers to it, the plan fails instead (medium). " +
    "`moved` and `removed { lifecycle { destroy = false } }` blocks are respected.",
  severity: "high",
  params: {},
  dialects: ["terraform"],
  check(file) {
    return removalFindings(file, (type) => KINDS[type]);
  },
});
