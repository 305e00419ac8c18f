import { key } from "../../diff/path.js";
import { scalarAt } from "../../formats/tree.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  type Annotation,
  annotationsLine,
  annotationsOf,
  isTemplated,
  keptObjects,
  type KubernetesObject,
  objectPath,
} from "../model/kubernetes/objects.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";

type Setting = "path" | "port" | "protocol" | "codes";

interface Scheme {
  readonly prefix: string;
  readonly names: Readonly<Record<Setting, string>>;
  readonly defaults: (annotations: Map<string, Annotation>) => Readonly<Record<Setting, string>>;
}

const ALB = "alb.ingress.kubernetes.io/";
const NLB = "service.beta.kubernetes.io/aws-load-balancer-";

// Defaults from the AWS Load Balancer Controller annotation docs (docs/lb-facts.md §4): ALB `/`, traffic-port,
// HTTP, 200 (gRPC: /AWS.ALB/healthcheck and 12); NLB `/`, traffic-port, TCP, 200-399.
const SCHEMES: readonly Scheme[] = [
  {
    prefix: ALB,
    names: {
      path: `${ALB}healthcheck-path`,
      port: `${ALB}healthcheck-port`,
      protocol: `${ALB}healthcheck-protocol`,
      codes: `${ALB}success-codes`,
    },
    defaults: (annotations) =>
      annotations.get(`${ALB}backend-protocol-version`)?.value.trim().toUpperCase() === "GRPC"
        ? { path: "/AWS.ALB/healthcheck", port: "traffic-port", protocol: "HTTP", codes: "12" }
        : { path: "/", port: "traffic-port", protocol: "HTTP", codes: "200" },
  },
  {
    prefix: NLB,
    names: {
      path: `${NLB}healthcheck-path`,
      port: `${NLB}healthcheck-port`,
      protocol: `${NLB}healthcheck-protocol`,
      codes: `${NLB}healthcheck-success-codes`,
    },
    defaults: () => ({ path: "/", port: "traffic-port", protocol: "TCP", codes: "200-399" }),
  },
];

const LABELS: Record<Setting, string> = {
  path: "health-check path",
  port: "health-check port",
  protocol: "health-check protocol",
  codes: "success codes",
};

/** `200,202-204` as a set of code ranges. */
function codeRanges(text: string): [number, number][] | undefined {
  const ranges: [number, number][] = [];
  for (const part of text.split(",")) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!match) return undefined;
    ranges.push([Number(match[1]), Number(match[2] ?? match[1])]);
  }
  return ranges;
}

const covers = (outer: [number, number][], inner: [number, number][]): boolean =>
  inner.every(([low, high]) => {
    for (let code = low; code <= high; code++)
      if (!outer.some(([a, b]) => code >= a && code <= b)) return false;
    return true;
  });

function managedBy(object: KubernetesObject, scheme: Scheme): boolean {
  if (object.kind !== "Ingress" && object.kind !== "Service") return false;
  if ([...annotationsOf(object).keys()].some((name) => name.startsWith(scheme.prefix))) return true;
  return scheme.prefix === ALB && scalarAt(object.body, "spec", "ingressClassName") === "alb";
}

/**
 * A health check that asks the wrong path, port or protocol marks every target unhealthy, and an ALB with only
 * unhealthy targets fails open: the fault is hidden, not stopped (docs/lb-facts.md §1d, §7 "High": health-check
 * path/port/protocol changes). Timing is lb.health-check.*'s; this rule is about what is checked.
 */
export default defineRule({
  id: "kubernetes.aws-lbc.healthcheck-path-changed",
  family: "kubernetes",
  title: "AWS load balancer health-check target changed",
  description:
    "An AWS Load Balancer Controller annotation changes what the ALB/NLB health check asks: its path, port or protocol " +
    "(high: a wrong one marks every target unhealthy and the load balancer fails open, hiding the fault), or its " +
    "success codes (high when narrowed, medium when widened, which hides failures). Adding or removing an annotation " +
    "is compared with the controller's default.",
  severity: "high",
  params: {},
  dialects: ["kubernetes"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of keptObjects(file.before, file.after)) {
      for (const scheme of SCHEMES) {
        if (!managedBy(after, scheme) || !managedBy(before, scheme)) continue;
        const old = annotationsOf(before);
        const now = annotationsOf(after);
        const oldDefaults = scheme.defaults(old);
        const newDefaults = scheme.defaults(now);
        for (const setting of ["path", "port", "protocol", "codes"] as const) {
          const name = scheme.names[setting];
          const was = old.get(name)?.value ?? oldDefaults[setting];
          const value = now.get(name)?.value ?? newDefaults[setting];
          if (was.trim() === value.trim() || isTemplated(was) || isTemplated(value)) continue;
          let severity: Severity = "high";
          let consequence =
            "if the targets do not answer it, every target turns unhealthy and the load balancer fails open, sending traffic to all of them and hiding the fault";
          if (setting === "codes") {
            const wasRanges = codeRanges(was);
            const nowRanges = codeRanges(value);
            if (wasRanges && nowRanges && covers(nowRanges, wasRanges)) {
              severity = "medium";
              consequence = "more responses count as healthy, so failing targets stay in rotation";
            } else
              consequence =
                "responses that passed before now fail; if every target fails, the load balancer fails open and hides the fault";
          } else if (setting === "protocol" && value.toUpperCase() === "TCP") {
            // An HTTP → TCP check only asks that the port accept connections: looser, not failing.
            severity = "medium";
            consequence =
              "the check now only opens a connection, so a target that answers errors stays in rotation";
          }
          const annotation = now.get(name) ?? old.get(name);
          const explicitNow = now.has(name);
          const fix =
            severity === "high" && annotation && explicitNow && old.has(name)
              ? lineFix(file, annotation.line, [{ keys: [name], value: was }])
              : undefined;
          findings.push({
            ...(fix ? { fix } : {}),
            severity,
            line: annotation?.line ?? annotationsLine(after),
            path: objectPath(after, key("metadata"), key("annotations"), key(name)),
            message: `${after.label} ${LABELS[setting]} ${setting === "codes" ? "change" : "changes"} from ${was}${old.has(name) ? "" : " (default)"} to ${value}${explicitNow ? "" : " (default)"}: ${consequence}.${severity === "high" ? safe(`keep ${name}: "${was}" until every target answers the new check`) : ""}`,
            before: was,
            after: value,
            checklist: [
              `Confirm every target of ${after.label} answers ${setting === "codes" ? `with one of ${value}` : `the new ${LABELS[setting]} (${value})`} before this is applied.`,
            ],
          });
        }
      }
    }
    return findings;
  },
});
