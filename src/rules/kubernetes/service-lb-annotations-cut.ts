import { key } from "../../diff/path.js";
import { entriesOf, scalarAt, type TreeNode } from "../../formats/tree.js";
import { formatSeconds, toNumber } from "../model/figures.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  annotationsLine,
  annotationsOf,
  isTemplated,
  keptObjects,
  objectPath,
  type Annotation,
  type KubernetesObject,
} from "../model/kubernetes/objects.js";

const AWS = "service.beta.kubernetes.io/aws-load-balancer-";
const AZURE = "service.beta.kubernetes.io/azure-load-balancer-";

/**
 * Cloud load-balancer settings a LoadBalancer Service carries as annotations (docs/lb-facts.md §3, §P5d): the
 * classic ELB idle timeout (60 s by default) and connection draining (off by default; 300 s when on), the Azure
 * load balancer's TCP idle timeout (4 min by default), and the ELB TLS negotiation policy.
 */
const TIMEOUTS = [
  {
    name: `${AWS}connection-idle-timeout`,
    fallback: 60,
    unit: 1,
    what: "idle connections (websockets, long polls, keep-alive pools) are closed by the load balancer",
  },
  {
    name: `${AWS}connection-draining-timeout`,
    fallback: 300,
    unit: 1,
    what: "requests still running when a node leaves the load balancer are cut",
  },
  {
    name: `${AZURE}tcp-idle-timeout`,
    fallback: 4,
    unit: 60,
    what: "idle TCP connections are dropped by the load balancer",
  },
] as const;

const DRAINING = `${AWS}connection-draining-enabled`;
const TLS_POLICY = `${AWS}ssl-negotiation-policy`;
/** ELB policies whose lowest protocol is TLS 1.2 or later (AWS "Security policies" table, docs/lb-facts.md §2). */
const TLS12_OR_LATER = /TLS-?1-?[23]|TLS13|FS-1-2/i;

const isLoadBalancer = (object: KubernetesObject) =>
  object.kind === "Service" && scalarAt(object.body, "spec", "type") === "LoadBalancer";

/** Annotations of a load balancer on both sides: a LoadBalancer Service, or a chart's `…service.annotations`. */
interface Site {
  readonly label: string;
  readonly old: Map<string, Annotation>;
  readonly now: Map<string, Annotation>;
  readonly line: number;
  path(name: string): string;
}

function sitesOf(dialect: string, before: TreeNode | null, after: TreeNode | null): Site[] {
  if (dialect === "helm-values") {
    const old = new Map(serviceAnnotations(before).map((entry) => [entry.path, entry]));
    return serviceAnnotations(after).flatMap((now) => {
      const was = old.get(now.path);
      return was
        ? [
            {
              label: now.path.replace(/\.annotations$/, ""),
              old: was.annotations,
              now: now.annotations,
              line: now.line,
              path: (name: string) => `${now.path}.${name}`,
            },
          ]
        : [];
    });
  }
  return keptObjects(before, after)
    .filter(([, object]) => isLoadBalancer(object))
    .map(([was, object]) => ({
      label: object.label,
      old: annotationsOf(was),
      now: annotationsOf(object),
      line: annotationsLine(object),
      path: (name: string) => objectPath(object, key("metadata"), key("annotations"), key(name)),
    }));
}

/** Every `annotations` map under a values key ending in `service` (`controller.service.annotations`). */
function serviceAnnotations(
  tree: TreeNode | null,
): { path: string; annotations: Map<string, Annotation>; line: number }[] {
  const out: { path: string; annotations: Map<string, Annotation>; line: number }[] = [];
  const visit = (node: TreeNode, names: string[]): void => {
    for (const [name, value] of entriesOf(node)) {
      if (value.kind !== "map") continue;
      if (name === "annotations" && /service$/i.test(names[names.length - 1] ?? "")) {
        const annotations = new Map<string, Annotation>();
        for (const [annotation, text] of entriesOf(value))
          if (text.kind === "scalar" && text.value !== null)
            annotations.set(annotation, { value: String(text.value), line: text.line });
        out.push({ path: [...names, name].join("."), annotations, line: value.line });
      } else visit(value, [...names, name]);
    }
  };
  if (tree) visit(tree, []);
  return out;
}

export default defineRule({
  id: "kubernetes.service.lb-annotations-cut",
  family: "kubernetes",
  title: "LoadBalancer Service annotations cut the cloud load balancer's timeouts, draining or TLS",
  description:
    "On a LoadBalancer Service: the ELB idle timeout (`aws-load-balancer-connection-idle-timeout`, default 60 s), " +
    "the ELB draining timeout (`…-connection-draining-timeout`, 300 s) or the Azure TCP idle timeout " +
    "(`azure-load-balancer-tcp-idle-timeout`, 4 min) cut by `cutFactor` times or more (high; medium from half); " +
    "connection draining turned off (`…-connection-draining-enabled` true → false or removed: high); the ELB TLS " +
    "negotiation policy moved to one that requires TLS 1.2 or later (high: older clients fail) or away from one " +
    "(high: weaker protocols accepted again). In Helm values, an `annotations` map under a key ending in `service` " +
    "(`controller.service.annotations`) is read the same way.",
  severity: "high",
  params: {
    // docs/risk.md, Connections/Draining: a cut by five times or more is sharp.
    cutFactor: { default: 5, description: "A timeout cut by this factor or more is high." },
  },
  dialects: ["kubernetes", "helm-values"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const site of sitesOf(file.dialect, file.before, file.after)) {
      const { old, now, path } = site;
      const after = site;
      for (const timeout of TIMEOUTS) {
        const wasText = old.get(timeout.name)?.value;
        const nowText = now.get(timeout.name)?.value;
        if (wasText === nowText || isTemplated(wasText) || isTemplated(nowText)) continue;
        // Draining timeout only matters while draining is on.
        if (timeout.name.endsWith("draining-timeout") && now.get(DRAINING)?.value.trim() !== "true")
          continue;
        const was = (wasText === undefined ? timeout.fallback : toNumber(wasText)) ?? undefined;
        const value = (nowText === undefined ? timeout.fallback : toNumber(nowText)) ?? undefined;
        if (was === undefined || value === undefined || value >= was) continue;
        const factor = value <= 0 ? Infinity : was / value;
        if (factor < 2) continue;
        const severity: Severity = factor >= params.cutFactor ? "high" : "medium";
        const seconds = (amount: number) => formatSeconds(amount * timeout.unit);
        findings.push({
          severity,
          line: now.get(timeout.name)?.line ?? after.line,
          path: path(timeout.name),
          message:
            `${after.label}: ${timeout.name.split("/")[1]} cut from ${seconds(was)}${wasText === undefined ? " (default)" : ""} to ${seconds(value)}${nowText === undefined ? " (default)" : ""}: ${timeout.what} after ${seconds(value)}.` +
            (severity === "high"
              ? ` Safe: keep \`"${wasText ?? timeout.fallback}"\`, or cut it in steps while watching dropped connections.`
              : ""),
          before: wasText ?? timeout.fallback,
          after: nowText ?? timeout.fallback,
          figures: { secondsBefore: was * timeout.unit, seconds: value * timeout.unit },
          checklist: [
            `Confirm no client of ${after.label} keeps a connection idle or a request running longer than ${seconds(value)}.`,
          ],
        });
      }
      if (old.get(DRAINING)?.value.trim() === "true" && now.get(DRAINING)?.value.trim() !== "true")
        findings.push({
          severity: "high",
          line: now.get(DRAINING)?.line ?? after.line,
          path: path(DRAINING),
          message: `${after.label}: ELB connection draining turned off: when a node leaves the load balancer (scale-in, upgrade), its in-flight requests are cut at once. Safe: keep \`${DRAINING}: "true"\`.`,
          before: "true",
          after: now.get(DRAINING)?.value ?? null,
          checklist: [`Confirm ${after.label} can lose in-flight requests whenever a node leaves.`],
        });
      const oldPolicy = old.get(TLS_POLICY)?.value.trim();
      const newPolicy = now.get(TLS_POLICY)?.value.trim();
      if (
        oldPolicy !== undefined &&
        newPolicy !== undefined &&
        oldPolicy !== newPolicy &&
        !isTemplated(oldPolicy) &&
        !isTemplated(newPolicy)
      ) {
        const raised = !TLS12_OR_LATER.test(oldPolicy) && TLS12_OR_LATER.test(newPolicy);
        const lowered = TLS12_OR_LATER.test(oldPolicy) && !TLS12_OR_LATER.test(newPolicy);
        findings.push({
          severity: raised || lowered ? "high" : "medium",
          line: now.get(TLS_POLICY)!.line,
          path: path(TLS_POLICY),
          message:
            `${after.label}: ELB TLS policy ${oldPolicy} → ${newPolicy}` +
            (raised
              ? ": TLS 1.0/1.1 are no longer accepted, so older clients fail the handshake."
              : lowered
                ? ": TLS 1.0/1.1 are accepted again (weaker)."
                : ": the accepted protocols and ciphers change.") +
            (raised || lowered
              ? ` Safe: keep \`"${oldPolicy}"\` until the clients are known.`
              : ""),
          before: oldPolicy,
          after: newPolicy,
          checklist: [
            `Confirm the TLS versions and ciphers of the clients of ${after.label} against ${newPolicy}.`,
          ],
        });
      }
    }
    return findings;
  },
});
