// Traefik → one HealthCheck per service that runs an active check and one Affinity (cookie stickiness) per
// load-balanced HTTP service.
import { formatPath } from "../../../diff/path.js";
import type { TreeNode } from "../../../formats/tree.js";
import type { Affinity } from "../affinity.js";
import type { DialectModel } from "../dialect-model.js";
import { goSeconds } from "../durations.js";
import { toNumber, type Figure } from "../figures.js";
import type { HealthCheck } from "../health-check.js";
import { fold, scalarFold, spelled } from "./keys.js";
import {
  healthCheckOf,
  runsHealthCheck,
  servicePath,
  servicesOf,
  type TraefikService,
} from "./services.js";

/** HTTP services that balance requests (v2/v3 `loadBalancer` or `weighted`, v1 backends). */
function balancedServices(tree: TreeNode): TraefikService[] {
  return servicesOf(tree).filter(
    (service) =>
      service.version === 1 ||
      (service.protocol === "http" &&
        (fold(service.body, "loadBalancer") !== undefined ||
          fold(service.body, "weighted") !== undefined)),
  );
}

/** `service:NAME` (v2/v3), `backend:NAME` (v1). */
const entityKey = (service: TraefikService): string =>
  `${service.version === 1 ? "backend" : "service"}:${service.name}`;

/** A Go duration in seconds; zero or negative values fall back to the default (docs/lb-facts.md §P4). */
function durationFigure(block: TreeNode, field: string, fallback: number): Figure | undefined {
  const found = fold(block, field);
  if (!found) return { value: fallback, line: block.line, explicit: false };
  const seconds = found.kind === "scalar" ? goSeconds(found.value) : undefined;
  if (seconds === undefined) return undefined;
  return seconds > 0
    ? { value: seconds, line: found.line, explicit: true }
    : { value: fallback, line: found.line, explicit: false };
}

// healthCheck.interval 30s and timeout 5s by default (traefik pkg/config/dynamic DefaultHealthCheckInterval/
// Timeout; docs/lb-facts.md §P4); v1 `[backends.X.healthcheck]` uses the same global defaults.
function serviceChecks(tree: TreeNode): HealthCheck[] {
  return balancedServices(tree).flatMap((service) => {
    const block = healthCheckOf(service);
    // Without a path Traefik v1/v2 run no check (buildHealthCheckOptions returns nil); gRPC mode needs none.
    if (block?.kind !== "map" || !runsHealthCheck(service)) return [];
    const interval = durationFigure(block, "interval", 30);
    // No rise/fall: one failed check marks a server DOWN (docs/lb-facts.md §P4).
    const once: Figure = { value: 1, line: block.line, explicit: false };
    return [
      {
        key: entityKey(service),
        label: `health check of ${service.label}`,
        provider: "traefik" as const,
        path: servicePath(
          service,
          ...(service.version === 1 ? [] : ["loadBalancer"]),
          "healthCheck",
        ),
        line: block.line,
        intervalSeconds: interval,
        timeoutSeconds: durationFigure(block, "timeout", 5),
        unhealthyThreshold: once,
        healthyThreshold: once,
        ejectAfterSeconds: interval?.value,
        // Traefik warns "Health check timeout ... should be lower than the health check interval" (v2 service manager).
        timeoutRule: "below-interval" as const,
        defaultsSource: "Traefik defaults (interval 30 s, timeout 5 s, no thresholds)",
      },
    ];
  });
}

/** The balancing strategy written (`p2c`), else Traefik's default weighted round robin. */
function strategyOf(balancer: TreeNode | undefined): string {
  const strategy = scalarFold(balancer, "strategy");
  return typeof strategy === "string" && strategy !== "" && strategy !== "wrr"
    ? strategy
    : "round robin";
}

/** Cookie stickiness: v2/v3 `sticky.cookie`, the v2 pre-release and v1 `stickiness`, v1 `sticky = true`. */
function serviceAffinities(tree: TreeNode): Affinity[] {
  return balancedServices(tree).map((service) => {
    const balancer = fold(service.body, "loadBalancer") ?? fold(service.body, "weighted");
    const balancerPath =
      spelled(service.body, ["loadBalancer"]) ?? spelled(service.body, ["weighted"]) ?? [];
    const cookie = fold(balancer, "sticky", "cookie");
    const legacy = fold(balancer, "stickiness");
    const legacyFlag = scalarFold(balancer, "sticky");
    const enabled = cookie !== undefined || legacy !== undefined || legacyFlag === true;
    const where = cookie
      ? spelled(balancer, ["sticky", "cookie"])!
      : legacy
        ? spelled(balancer, ["stickiness"])!
        : (spelled(balancer, ["sticky"]) ?? []);
    const name = cookie ? scalarFold(cookie, "name") : scalarFold(legacy, "cookieName");
    const maxAge = fold(cookie, "maxAge");
    const seconds = maxAge?.kind === "scalar" ? toNumber(maxAge.value) : undefined;
    return {
      key: entityKey(service),
      label: service.label,
      path: formatPath([...service.segments, ...balancerPath, ...where]),
      line: (cookie ?? legacy ?? fold(balancer, "sticky") ?? balancer ?? service.body).line,
      enabled,
      // Without stickiness the mode is the balancing in force: `cookie` → `round robin` (weighted
      // round robin, Traefik's default strategy), or the strategy written (docs/lb-facts.md §P4).
      mode: enabled ? "cookie" : strategyOf(balancer),
      // The default name is derived from the service name, so it is stable (docs/lb-facts.md §P4).
      cookieName: typeof name === "string" && name !== "" ? name : undefined,
      // maxAge 0 (default) is a session cookie: no lifetime to compare.
      durationSeconds:
        maxAge && seconds !== undefined && seconds > 0
          ? { value: seconds, line: maxAge.line, explicit: true }
          : undefined,
    };
  });
}

export const traefikModel: DialectModel = {
  healthChecks: serviceChecks,
  affinities: serviceAffinities,
};
