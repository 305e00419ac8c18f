// Google Cloud health checks and backend services from Terraform as the cross-format entities.
import { child, scalarAt, type TreeNode } from "../../../formats/tree.js";
import type { Affinity } from "../affinity.js";
import { figureAt, numberAt, product } from "../figures.js";
import type { HealthCheck } from "../health-check.js";
import { isExpression } from "../iac/settings.js";
import { terraformResources } from "../iac/terraform.js";

// GCP: check_interval_sec 5, timeout_sec 5, thresholds 2/2; timeout may not exceed the interval
// (Compute API HealthCheck field docs, docs/lb-facts.md §5a).
export function gcpHealthChecks(tree: TreeNode): HealthCheck[] {
  const types = [
    "google_compute_health_check",
    "google_compute_region_health_check",
    "google_compute_http_health_check",
    "google_compute_https_health_check",
  ];
  return terraformResources(tree, types).map((resource) => {
    const interval = figureAt(resource.body, "check_interval_sec", 5, resource.line);
    const unhealthy = figureAt(resource.body, "unhealthy_threshold", 2, resource.line);
    return {
      key: resource.path,
      label: `health check "${resource.name}"`,
      provider: "gcp" as const,
      path: resource.path,
      line: resource.line,
      intervalSeconds: interval,
      timeoutSeconds: figureAt(resource.body, "timeout_sec", 5, resource.line),
      unhealthyThreshold: unhealthy,
      healthyThreshold: figureAt(resource.body, "healthy_threshold", 2, resource.line),
      ejectAfterSeconds: product(interval, unhealthy),
      timeoutRule: "at-most-interval" as const,
      defaultsSource: "GCP Compute API defaults (5 s, 5 s, 2/2)",
    };
  });
}

// GCP backend services: session_affinity NONE by default; affinity_cookie_ttl_sec 0 = session cookie.
export function gcpAffinities(tree: TreeNode): Affinity[] {
  return terraformResources(tree, [
    "google_compute_backend_service",
    "google_compute_region_backend_service",
  ]).flatMap((resource) => {
    // An expression (`var.affinity`) is unknowable: no entity, so no rule judges it.
    if (isExpression(child(resource.body, "session_affinity"))) return [];
    const mode = String(scalarAt(resource.body, "session_affinity") ?? "NONE");
    const ttl = numberAt(resource.body, "affinity_cookie_ttl_sec");
    return {
      key: resource.path,
      label: `backend service "${resource.name}"`,
      path: resource.path,
      line: child(resource.body, "session_affinity")?.line ?? resource.line,
      enabled: mode !== "NONE",
      mode,
      durationSeconds: ttl && ttl.value > 0 ? ttl : undefined,
    };
  });
}
