// GKE BackendConfig objects (cloud.google.com): the health check and session affinity they give a Service's
// backend service.
import { key } from "../../../diff/path.js";
import { child, scalarAt, type TreeNode } from "../../../formats/tree.js";
import type { Affinity } from "../affinity.js";
import { figureAt, numberAt, product, type Figure } from "../figures.js";
import type { HealthCheck } from "../health-check.js";
import { objectPath, type KubernetesObject } from "./objects.js";

function backendConfigs(objects: readonly KubernetesObject[]): KubernetesObject[] {
  return objects.filter(
    (object) =>
      object.kind === "BackendConfig" && object.apiVersion.startsWith("cloud.google.com/"),
  );
}

// GKE BackendConfig spec.healthCheck takes the Compute health-check fields, with the GCP defaults
// 5 s / 5 s / 2 / 2 and timeout ≤ interval (ingress-gce backendconfig types, docs/lb-facts.md §5a, §5c).
export function backendConfigChecks(objects: readonly KubernetesObject[]): HealthCheck[] {
  return backendConfigs(objects).flatMap((object) => {
    const check = child(child(object.body, "spec"), "healthCheck");
    if (check?.kind !== "map") return [];
    const figure = (field: string, fallback: number): Figure | undefined =>
      figureAt(check, field, fallback, check.line);
    const interval = figure("checkIntervalSec", 5);
    const unhealthy = figure("unhealthyThreshold", 2);
    return [
      {
        key: `${object.id}:healthCheck`,
        label: `health check of ${object.label}`,
        provider: "gcp" as const,
        path: objectPath(object, key("spec"), key("healthCheck")),
        line: check.line,
        intervalSeconds: interval,
        timeoutSeconds: figure("timeoutSec", 5),
        unhealthyThreshold: unhealthy,
        healthyThreshold: figure("healthyThreshold", 2),
        ejectAfterSeconds: product(interval, unhealthy),
        timeoutRule: "at-most-interval" as const,
        defaultsSource: "GCP Compute API defaults (5 s, 5 s, 2/2)",
      },
    ];
  });
}

// spec.sessionAffinity.affinityType NONE by default; affinityCookieTtlSec 0 = session cookie (docs/lb-facts.md §5b).
export function backendConfigAffinities(objects: readonly KubernetesObject[]): Affinity[] {
  return backendConfigs(objects).map((object) => {
    const block: TreeNode | undefined = child(child(object.body, "spec"), "sessionAffinity");
    const typeNode = child(block, "affinityType");
    const mode = String(scalarAt(typeNode) ?? "NONE");
    const ttl = numberAt(block, "affinityCookieTtlSec");
    return {
      key: `${object.id}:sessionAffinity`,
      label: `session affinity of ${object.label}`,
      path: objectPath(object, key("spec"), key("sessionAffinity")),
      line: typeNode?.line ?? block?.line ?? object.line,
      enabled: mode !== "NONE",
      mode,
      durationSeconds: ttl && ttl.value > 0 ? ttl : undefined,
    };
  });
}
