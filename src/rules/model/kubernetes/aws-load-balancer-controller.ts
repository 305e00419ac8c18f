// The AWS Load Balancer Controller's annotations on Ingresses (ALB) and LoadBalancer Services (NLB): their
// target-group health checks and stickiness (docs/lb-facts.md §4).
import { key } from "../../../diff/path.js";
import { scalarAt } from "../../../formats/tree.js";
import type { Affinity } from "../affinity.js";
import { product, toNumber, withDefault, type Figure } from "../figures.js";
import type { HealthCheck, TimeoutRule } from "../health-check.js";
import {
  annotationsLine,
  annotationsOf,
  objectPath,
  type Annotation,
  type KubernetesObject,
} from "./objects.js";

/** How the AWS Load Balancer Controller reads one kind of object (docs/lb-facts.md §4). */
interface Scheme {
  readonly kind: "Ingress" | "Service";
  readonly balancer: "ALB" | "NLB";
  readonly prefix: string;
  readonly interval: string;
  readonly timeout: string;
  readonly healthy: string;
  readonly unhealthy: string;
  readonly attributes: string;
  readonly defaults: { interval: number; timeout: number; healthy: number; unhealthy: number };
  readonly defaultStickiness: string;
  readonly timeoutRule: TimeoutRule;
  readonly defaultsSource: string;
}

const INGRESS = "alb.ingress.kubernetes.io/";
const SERVICE = "service.beta.kubernetes.io/aws-load-balancer-";

const SCHEMES: readonly Scheme[] = [
  {
    kind: "Ingress",
    balancer: "ALB",
    prefix: INGRESS,
    interval: `${INGRESS}healthcheck-interval-seconds`,
    timeout: `${INGRESS}healthcheck-timeout-seconds`,
    healthy: `${INGRESS}healthy-threshold-count`,
    unhealthy: `${INGRESS}unhealthy-threshold-count`,
    attributes: `${INGRESS}target-group-attributes`,
    // LBC ingress annotations doc (docs/lb-facts.md §4): 15 s, 5 s, 2, 2.
    defaults: { interval: 15, timeout: 5, healthy: 2, unhealthy: 2 },
    defaultStickiness: "lb_cookie",
    // ELBv2 rejects a timeout that is not below the interval (docs/lb-facts.md §1a).
    timeoutRule: "below-interval",
    defaultsSource: "AWS Load Balancer Controller Ingress defaults (15 s, 5 s, 2/2)",
  },
  {
    kind: "Service",
    balancer: "NLB",
    prefix: SERVICE,
    interval: `${SERVICE}healthcheck-interval`,
    timeout: `${SERVICE}healthcheck-timeout`,
    healthy: `${SERVICE}healthcheck-healthy-threshold`,
    unhealthy: `${SERVICE}healthcheck-unhealthy-threshold`,
    attributes: `${SERVICE}target-group-attributes`,
    // LBC service annotations doc (docs/lb-facts.md §4): 10 s, 10 s, 3, 3.
    defaults: { interval: 10, timeout: 10, healthy: 3, unhealthy: 3 },
    defaultStickiness: "source_ip",
    // The controller's own NLB defaults set timeout = interval (10 s / 10 s), so only a larger timeout is flagged.
    timeoutRule: "at-most-interval",
    defaultsSource: "AWS Load Balancer Controller Service defaults (10 s, 10 s, 3/3)",
  },
];

const NOT_LOAD_BALANCER = new Set(["ClusterIP", "NodePort", "ExternalName"]);

/** The scheme that applies to an object, if the controller manages it (it carries one of its annotations). */
function schemeOf(
  object: KubernetesObject,
  annotations: Map<string, Annotation>,
): Scheme | undefined {
  const scheme = SCHEMES.find((candidate) => candidate.kind === object.kind);
  if (!scheme || ![...annotations.keys()].some((name) => name.startsWith(scheme.prefix)))
    return undefined;
  if (scheme.kind === "Service") {
    // Only type LoadBalancer Services get a load balancer (unset = ClusterIP); templated types are kept.
    const type = scalarAt(object.body, "spec", "type");
    if (type === undefined || type === null || NOT_LOAD_BALANCER.has(String(type)))
      return undefined;
  }
  return scheme;
}

function annotationFigure(annotation: Annotation | undefined): Figure | undefined {
  const value = toNumber(annotation?.value);
  return annotation && value !== undefined
    ? { value, line: annotation.line, explicit: true }
    : undefined;
}

/** ALB (Ingress) and NLB (Service) target-group health checks set by LBC annotations. */
export function awsLoadBalancerChecks(objects: readonly KubernetesObject[]): HealthCheck[] {
  return objects.flatMap((object) => {
    const annotations = annotationsOf(object);
    const scheme = schemeOf(object, annotations);
    if (!scheme) return [];
    const line = annotationsLine(object);
    const figure = (name: string, fallback: number): Figure | undefined => {
      const annotation = annotations.get(name);
      return withDefault(annotationFigure(annotation), fallback, line, annotation !== undefined);
    };
    const interval = figure(scheme.interval, scheme.defaults.interval);
    const unhealthy = figure(scheme.unhealthy, scheme.defaults.unhealthy);
    return [
      {
        key: `${object.id}:${scheme.balancer.toLowerCase()}-health-check`,
        label: `${scheme.balancer} health check of ${object.label}`,
        provider: "aws-lbc" as const,
        path: objectPath(object, key("metadata"), key("annotations")),
        line: annotations.get(scheme.interval)?.line ?? line,
        intervalSeconds: interval,
        timeoutSeconds: figure(scheme.timeout, scheme.defaults.timeout),
        unhealthyThreshold: unhealthy,
        healthyThreshold: figure(scheme.healthy, scheme.defaults.healthy),
        ejectAfterSeconds: product(interval, unhealthy),
        timeoutRule: scheme.timeoutRule,
        defaultsSource: scheme.defaultsSource,
      },
    ];
  });
}

/** `stickiness.enabled=true,stickiness.lb_cookie.duration_seconds=60` as a lookup. */
export function parseTargetGroupAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of text.split(",")) {
    const equals = pair.indexOf("=");
    if (equals <= 0) continue;
    out.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
  }
  return out;
}

// Target-group attributes (docs/lb-facts.md §1b): stickiness.enabled false by default; cookie duration 86400 s.
export function awsLoadBalancerStickiness(objects: readonly KubernetesObject[]): Affinity[] {
  return objects.flatMap((object) => {
    const annotations = annotationsOf(object);
    const scheme = schemeOf(object, annotations);
    if (!scheme) return [];
    const annotation = annotations.get(scheme.attributes);
    const attributes = parseTargetGroupAttributes(annotation?.value ?? "");
    const line = annotation?.line ?? annotationsLine(object);
    const enabled = attributes.get("stickiness.enabled")?.toLowerCase() === "true";
    const mode =
      attributes.get("stickiness.type") ?? (enabled ? scheme.defaultStickiness : undefined);
    const cookie = mode === "lb_cookie" || mode === "app_cookie";
    const duration = toNumber(attributes.get(`stickiness.${mode}.duration_seconds`));
    return [
      {
        key: `${object.id}:target-group`,
        label: `${scheme.balancer} target group of ${object.label}`,
        path: objectPath(
          object,
          key("metadata"),
          key("annotations"),
          ...(annotation ? [key(scheme.attributes)] : []),
        ),
        line,
        enabled,
        mode,
        cookieName: attributes.get("stickiness.app_cookie.cookie_name"),
        durationSeconds: !cookie
          ? undefined
          : duration !== undefined
            ? { value: duration, line, explicit: true }
            : attributes.has(`stickiness.${mode}.duration_seconds`)
              ? undefined
              : { value: 86400, line, explicit: false },
      },
    ];
  });
}
