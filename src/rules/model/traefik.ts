import { formatPath, key, type PathSegment } from "../../diff/path.js";
import { entriesOf, type Scalar, type TreeNode } from "../../formats/tree.js";
import type { Affinity } from "./affinity.js";
import type { DialectModel } from "./dialect-model.js";
import { goSeconds } from "./durations.js";
import { toNumber, type Figure } from "./figures.js";
import type { HealthCheck } from "./health-check.js";

/**
 * Traefik's file provider matches keys to fields with strings.EqualFold (LB-FACTS.md "Case-insensitive
 * keys", TP): `loadbalancer` = `loadBalancer`. The exact spelling wins when both are present.
 */
export function childFold(
  node: TreeNode | undefined,
  name: string,
): [string, TreeNode] | undefined {
  if (node?.kind !== "map") return undefined;
  const exact = node.entries.get(name);
  if (exact) return [name, exact];
  const lower = name.toLowerCase();
  return entriesOf(node).find(([candidate]) => candidate.toLowerCase() === lower);
}

export const fold = (node: TreeNode | undefined, ...names: string[]): TreeNode | undefined => {
  let current = node;
  for (const name of names) current = childFold(current, name)?.[1];
  return current;
};

export const scalarFold = (node: TreeNode | undefined, name: string): Scalar | undefined => {
  const found = fold(node, name);
  return found?.kind === "scalar" ? found.value : undefined;
};

/** One load-balanced service: v2/v3 `http.services.NAME`, or a v1 `backends.NAME`. */
interface TraefikService {
  readonly key: string;
  readonly label: string;
  readonly body: TreeNode;
  readonly segments: readonly PathSegment[];
  readonly version: 1 | 2;
}

/** The segments of a found key path, with each key spelled as in the file. */
export function spelled(node: TreeNode | undefined, names: string[]): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let current = node;
  for (const name of names) {
    const found = childFold(current, name);
    if (!found) return undefined;
    segments.push(key(found[0]));
    current = found[1];
  }
  return segments;
}

function traefikServices(tree: TreeNode): TraefikService[] {
  const documents = tree.kind === "list" ? tree.items : [tree];
  const out: TraefikService[] = [];
  for (const document of documents) {
    // v2/v3 `http.services`; the v2 pre-release layout had `services` at the top level.
    for (const path of [["http", "services"], ["services"]]) {
      const segments = spelled(document, path);
      if (!segments) continue;
      for (const [name, body] of entriesOf(fold(document, ...path))) {
        if (!fold(body, "loadBalancer") && !fold(body, "weighted")) continue;
        out.push({
          key: `service:${name}`,
          label: `service "${name}"`,
          body,
          segments: [...segments, key(name)],
          version: 2,
        });
      }
    }
    const backends = spelled(document, ["backends"]);
    for (const [name, body] of entriesOf(fold(document, "backends"))) {
      out.push({
        key: `backend:${name}`,
        label: `backend "${name}"`,
        body,
        segments: [...backends!, key(name)],
        version: 1,
      });
    }
  }
  return out;
}

/** A Go duration in seconds; zero or negative values fall back to the default (TH: "default value will be used"). */
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
// Timeout; LB-FACTS.md "4. Traefik"); v1 `[backends.X.healthcheck]` uses the same global defaults.
function serviceChecks(tree: TreeNode): HealthCheck[] {
  return traefikServices(tree).flatMap((service) => {
    const path = service.version === 2 ? ["loadBalancer", "healthCheck"] : ["healthCheck"];
    const block = fold(service.body, ...path);
    if (block?.kind !== "map") return [];
    // Without a path Traefik v1/v2 run no check (buildHealthCheckOptions returns nil); gRPC mode needs none.
    const checkPath = scalarFold(block, "path");
    const grpc = String(scalarFold(block, "mode") ?? "").toLowerCase() === "grpc";
    if (!grpc && (typeof checkPath !== "string" || checkPath === "")) return [];
    const interval = durationFigure(block, "interval", 30);
    // No rise/fall: one failed check marks a server DOWN (LB-FACTS.md "4. Traefik", TH).
    const once: Figure = { value: 1, line: block.line, explicit: false };
    return [
      {
        key: service.key,
        label: `health check of ${service.label}`,
        provider: "traefik" as const,
        path: formatPath([...service.segments, ...spelled(service.body, path)!]),
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

/** Cookie stickiness: v2/v3 `sticky.cookie`, the v2 pre-release and v1 `stickiness`, v1 `sticky = true`. */
function serviceAffinities(tree: TreeNode): Affinity[] {
  return traefikServices(tree).map((service) => {
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
      key: service.key,
      label: service.label,
      path: formatPath([...service.segments, ...balancerPath, ...where]),
      line: (cookie ?? legacy ?? fold(balancer, "sticky") ?? balancer ?? service.body).line,
      enabled,
      mode: enabled ? "cookie" : undefined,
      // The default name is derived from the service name, so it is stable (LB-FACTS.md "4. Traefik").
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
