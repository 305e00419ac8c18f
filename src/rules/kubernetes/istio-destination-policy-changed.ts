import { key } from "../../diff/path.js";
import { child, itemsOf, scalarAt } from "../../formats/tree.js";
import { formatSeconds } from "../model/figures.js";
import { pairBy } from "../model/pairs.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  consistentHashOf,
  isIstio,
  outlierDetectionOf,
  poolLimit,
  shortHost,
  virtualServiceRoutes,
  POOL_LIMITS,
  tlsModeOf,
  trafficPolicies,
  type OutlierDetection,
  type TrafficPolicy,
} from "../model/kubernetes/istio.js";
import {
  objectPath,
  objectsOf,
  pairObjects,
  type KubernetesObject,
} from "../model/kubernetes/objects.js";

/**
 * A DestinationRule's traffic policy decides which hosts take requests and how (docs/risk.md: healthy targets are
 * ejected, sessions break, TLS breaks, capacity drops). Outlier detection that ejects after one error up to every
 * host, consistent hashing removed, the upstream TLS mode changed, connection-pool limits cut sharply.
 */
export default defineRule({
  id: "kubernetes.istio.destination-policy-changed",
  family: "kubernetes",
  title: "Istio DestinationRule ejects, unpins or rejects traffic",
  description:
    "An Istio DestinationRule traffic policy (top level, subset or port level) that ejects a host after at most " +
    "`maxConsecutiveErrors` consecutive errors while up to `maxEjectionPercent` percent of hosts or more may be ejected " +
    "(new or tightened; medium when fewer hosts may go, or when only the error count is cut by half or more); " +
    "consistent hashing removed or its key changed (sessions move to other hosts); the upstream TLS mode changed " +
    "(DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL: one side of the connection no longer matches the other); a connection-pool " +
    "limit cut by `poolCutFactor` times or more (requests above it are rejected with 503s): high. Istio defaults apply " +
    "where a value is absent: 5 consecutive 5xx errors, up to 10% of hosts ejected, for 30 s. A deleted " +
    "DestinationRule that declared subsets or consistent hashing is high: routes to its subsets get 503s, sessions move.",
  severity: "high",
  params: {
    // Judgement (docs/risk.md: an unhealthy threshold of 1 ejects healthy targets).
    maxConsecutiveErrors: {
      default: 1,
      description:
        "Outlier detection ejecting after this many consecutive errors or fewer is hair-trigger.",
    },
    // Judgement: when half the hosts or more can be ejected, a burst of errors empties the pool.
    maxEjectionPercent: {
      default: 50,
      description:
        "A hair-trigger outlier detection that may eject this share of hosts (percent) or more is high.",
    },
    // docs/risk.md: a cut by five times or more is sharp.
    poolCutFactor: {
      default: 5,
      description: "A connection-pool limit cut by this factor or more is high.",
    },
  },
  dialects: ["kubernetes"],
  check(file, params) {
    const findings: Detection[] = [];
    const pairs = pairObjects(objectsOf(file.before), objectsOf(file.after));
    for (const [before, after] of pairs) {
      if (!after && before && isIstio(before, "DestinationRule")) {
        const gone = deletedRule(
          before,
          file.status === "removed" ? file.path : undefined,
          deletedRoutes(before, pairs),
        );
        if (gone) findings.push(gone);
        continue;
      }
      if (!after || !isIstio(after, "DestinationRule")) continue;
      const kept = before !== undefined && isIstio(before, "DestinationRule");
      const oldPolicies = kept ? trafficPolicies(before) : [];
      for (const [was, now] of pairBy(
        oldPolicies,
        trafficPolicies(after),
        (policy) => policy.key,
      )) {
        if (!now) continue;
        const outlier = outlierFinding(
          after,
          was,
          now,
          params.maxConsecutiveErrors,
          params.maxEjectionPercent,
        );
        if (outlier) findings.push(outlier);
        if (!was) continue;
        findings.push(...stickinessAndTls(after, was, now));
        for (const limit of POOL_LIMITS) {
          const old = poolLimit(was.body, limit.path);
          const value = poolLimit(now.body, limit.path);
          if (!old || !value || value.value <= 0 || old.value / value.value < params.poolCutFactor)
            continue;
          findings.push({
            severity: "high",
            line: value.line,
            path: objectPath(after, key("spec")),
            message: `${now.label} cuts connectionPool ${limit.name} from ${old.value} to ${value.value}: requests beyond it are rejected with 503s (circuit breaker open) at a fifth of the load or less. Safe: keep ${limit.name} at ${Math.ceil(old.value / 2)} or more.`,
            before: old.value,
            after: value.value,
            figures: { limitBefore: old.value, limit: value.value },
            checklist: [
              `Confirm peak concurrent requests to ${now.label} stay below ${value.value}.`,
            ],
          });
        }
      }
    }
    return findings;
  },
});

/**
 * The VirtualServices of the file that routed to a deleted DestinationRule's host, when every one of them is deleted
 * too (none of the new version routes there): the routes' deletion is that consequence (generic.lb-resource.deleted).
 */
function deletedRoutes(
  rule: KubernetesObject,
  pairs: readonly (readonly [KubernetesObject | undefined, KubernetesObject | undefined])[],
): KubernetesObject[] {
  const host = scalarAt(child(rule.body, "spec"), "host");
  if (host === undefined || host === null) return [];
  const target = shortHost(String(host), rule.namespace);
  const routesTo = (service: KubernetesObject) =>
    isIstio(service, "VirtualService") &&
    virtualServiceRoutes(service).some((route) =>
      route.destinations.some((d) => d.key.startsWith(`${target}|`)),
    );
  const before = pairs.flatMap(([was]) => (was && routesTo(was) ? [was] : []));
  const stillRouted = pairs.some(([, now]) => now !== undefined && routesTo(now));
  return stillRouted || pairs.some(([was, now]) => was && now && before.includes(was))
    ? []
    : before;
}

/**
 * A deleted DestinationRule takes its subsets (routes that name them get 503s, "no healthy upstream") and its
 * consistent hashing (sessions move) with it.
 */
function deletedRule(
  object: KubernetesObject,
  removedWith: string | undefined,
  routesGone: readonly KubernetesObject[],
): Detection | undefined {
  const subsets = itemsOf(child(child(object.body, "spec"), "subsets")).flatMap((subset) => {
    const name = scalarAt(subset, "name");
    return name === undefined || name === null ? [] : [String(name)];
  });
  const hashes = trafficPolicies(object).flatMap((policy) => {
    const hash = consistentHashOf(policy.body);
    return hash ? [hash.text] : [];
  });
  if (subsets.length === 0 && hashes.length === 0) return undefined;
  const effects = [
    ...(subsets.length > 0
      ? [
          `its subsets ${subsets.join(", ")} no longer exist, so routes that send traffic to them get 503s`,
        ]
      : []),
    ...(hashes.length > 0
      ? [`consistent hashing on ${hashes.join(", ")} goes, so sessions move to other hosts`]
      : []),
  ];
  const deleted = `${object.label} is deleted${removedWith ? ` with ${removedWith}` : ""}`;
  if (routesGone.length > 0)
    return {
      severity: "medium",
      line: object.line,
      path: objectPath(object),
      message: `${deleted}: it goes together with ${routesGone.map((service) => service.label).join(", ")}, which routed to it; that deletion is judged on its own.`,
      before: object.name,
      after: null,
      checklist: [`Confirm nothing else routes to the subsets of ${object.label}.`],
    };
  return {
    severity: "high",
    line: object.line,
    path: objectPath(object),
    message: `${deleted}: ${effects.join("; ")}. Safe: keep DestinationRule \`${object.name}\` until no VirtualService routes to its subsets.`,
    before: object.name,
    after: null,
    checklist: [
      `Confirm no VirtualService still routes to ${subsets.length > 0 ? `subsets ${subsets.join(", ")} of ` : ""}${object.label}.`,
    ],
  };
}

function outlierFinding(
  object: KubernetesObject,
  was: TrafficPolicy | undefined,
  now: TrafficPolicy,
  maxErrors: number,
  maxPercent: number,
): Detection | undefined {
  const current = outlierDetectionOf(now.body);
  if (!current) return undefined;
  const previous: OutlierDetection | undefined = was ? outlierDetectionOf(was.body) : undefined;
  const hairTrigger = current.errors <= maxErrors;
  const wasHairTrigger = previous !== undefined && previous.errors <= maxErrors;
  const wide = current.maxEjectionPercent >= maxPercent;
  const wasWide = previous !== undefined && previous.maxEjectionPercent >= maxPercent;
  let severity: Severity | undefined;
  if (hairTrigger && wide && !(wasHairTrigger && wasWide)) severity = "high";
  else if (hairTrigger && !wasHairTrigger) severity = "medium";
  else if (previous && current.errors * 2 <= previous.errors) severity = "medium";
  if (!severity) return undefined;
  const rule = `${current.errors} consecutive error${current.errors === 1 ? "" : "s"} (${current.errorsKey}), up to ${current.maxEjectionPercent}% of hosts for ${formatSeconds(current.baseEjectionSeconds)}`;
  const old = previous
    ? `${previous.errors} error${previous.errors === 1 ? "" : "s"}, up to ${previous.maxEjectionPercent}%`
    : "no outlier detection";
  return {
    severity,
    line: current.errorsLine,
    path: objectPath(object, key("spec")),
    message:
      `${now.label} ejects a host after ${rule} (was ${old})` +
      (severity === "high"
        ? `: one failed request (a deploy, a slow dependency) ejects a healthy host, and a burst can eject ${current.maxEjectionPercent >= 100 ? "every host" : "most hosts"}, leaving the service with none. Safe: ${current.errorsKey}: 5 and maxEjectionPercent: 10 (Istio's defaults).`
        : ": healthy hosts are ejected sooner."),
    before: previous ? previous.errors : null,
    after: current.errors,
    figures: {
      consecutiveErrors: current.errors,
      maxEjectionPercent: current.maxEjectionPercent,
      ...(previous ? { consecutiveErrorsBefore: previous.errors } : {}),
    },
    checklist: [
      `Confirm ${now.label} can lose ${current.maxEjectionPercent}% of its hosts to single errors.`,
    ],
  };
}

function stickinessAndTls(
  object: KubernetesObject,
  was: TrafficPolicy,
  now: TrafficPolicy,
): Detection[] {
  const out: Detection[] = [];
  const oldHash = consistentHashOf(was.body);
  const newHash = consistentHashOf(now.body);
  if (oldHash && oldHash.text !== newHash?.text)
    out.push({
      severity: "high",
      line: newHash?.line ?? now.line,
      path: objectPath(object, key("spec")),
      message: `${now.label} ${newHash ? `changes its consistent hash from ${oldHash.text} to ${newHash.text}` : `drops consistent hashing on ${oldHash.text}`}: clients stop landing on the host that holds their session or cache, so sessions break. Safe: keep \`consistentHash\` on \`${oldHash.text}\`.`,
      before: oldHash.text,
      after: newHash?.text ?? null,
      checklist: [`Confirm the service behind ${now.label} keeps no per-host session or cache.`],
    });
  const oldTls = tlsModeOf(was.body);
  const newTls = tlsModeOf(now.body);
  if (oldTls && newTls && oldTls.mode !== newTls.mode)
    out.push({
      severity: "high",
      line: newTls.line,
      path: objectPath(object, key("spec")),
      message: `${now.label} changes its upstream TLS mode from ${oldTls.mode} to ${newTls.mode}: ${
        newTls.mode === "DISABLE"
          ? "traffic to the hosts goes in plain text, and hosts that require TLS (strict mTLS) refuse it"
          : oldTls.mode === "DISABLE"
            ? "the sidecar now opens TLS to hosts that may only speak plain text, and those connections fail"
            : "the client certificate presented changes, so hosts that check it refuse the connection"
      }. Safe: keep \`mode: ${oldTls.mode}\` until both sides are known to match.`,
      before: oldTls.mode,
      after: newTls.mode,
      checklist: [`Confirm the hosts behind ${now.label} accept ${newTls.mode}.`],
    });
  return out;
}
