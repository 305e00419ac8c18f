import { key } from "../../diff/path.js";
import { formatSeconds } from "../model/figures.js";
import { pairBy } from "../model/pairs.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  hostsOf,
  isIstio,
  shortHost,
  virtualServiceRoutes,
  type IstioRoute,
} from "../model/kubernetes/istio.js";
import {
  objectPath,
  objectsOf,
  pairObjects,
  type KubernetesObject,
} from "../model/kubernetes/objects.js";

/** Share of a route's traffic that leaves the destinations it went to (0–100). */
function movedShare(was: IstioRoute, now: IstioRoute): number {
  const share = new Map(now.destinations.map((d) => [d.key, d.weight]));
  const total = (route: IstioRoute) =>
    route.destinations.reduce((sum, d) => sum + d.weight, 0) || 100;
  const scaleWas = 100 / total(was);
  const scaleNow = 100 / total(now);
  return was.destinations.reduce(
    (moved, d) => moved + Math.max(0, d.weight * scaleWas - (share.get(d.key) ?? 0) * scaleNow),
    0,
  );
}

/**
 * Share of a route's traffic (0–100) that now goes to destinations that took none of it before (absent or weight 0):
 * a destination already serving part of the route is known to exist and answer, so moving more traffic onto it is a
 * canary step, not traffic re-addressed.
 */
function freshShare(was: IstioRoute, now: IstioRoute): number {
  const serving = new Set(was.destinations.filter((d) => d.weight > 0).map((d) => d.key));
  const total = now.destinations.reduce((sum, d) => sum + d.weight, 0) || 100;
  return now.destinations
    .filter((d) => !serving.has(d.key))
    .reduce((share, d) => share + (d.weight * 100) / total, 0);
}

const destinations = (route: IstioRoute): string =>
  route.destinations
    .map((d) => `${d.label}${route.destinations.length > 1 ? ` ${d.weight}%` : ""}`)
    .join(", ") || "nothing";

/**
 * A VirtualService decides where a host's requests go (docs/risk.md: traffic goes nowhere; connections cut). Hosts
 * removed, routes removed, destinations re-addressed or weights shifted wholesale, faults that abort requests, and
 * timeouts cut sharply.
 */
export default defineRule({
  id: "kubernetes.istio.routes-changed",
  family: "kubernetes",
  title: "Istio VirtualService routes re-addressed, removed or failing",
  description:
    "An Istio VirtualService stops routing a host (high); removes a route whose destinations no other route reaches " +
    "(high; medium when they still are); sends a share of a route's traffic at or above `wholesaleShiftPercent` to " +
    "destinations that took none of it before (host, subset or port changed, a weight-0 subset given the traffic: " +
    "high; medium below, and for weights shifted onto destinations already serving part of the route, a canary " +
    "step, or on a route matched only by headers or query parameters); injects an `abort` fault " +
    "into at least `abortPercent` percent of requests, new or raised, also on a new VirtualService (high; medium " +
    "below, without a percentage, or on a route matched only by headers or query parameters); or cuts a route's timeout by `timeoutCutFactor` times or more, or sets one on a " +
    "route that had none below `minTimeoutSeconds` (high). A deleted VirtualService is generic.lb-resource.deleted's.",
  severity: "high",
  params: {
    // Judgement (docs/risk.md, traffic goes nowhere): half a route's traffic on new destinations is a cut-over.
    wholesaleShiftPercent: {
      default: 50,
      description:
        "A route whose traffic moves this share (percent) or more to destinations that took none of it is high.",
    },
    // Judgement: aborting one request in a hundred is visible to users; below it is a probe.
    abortPercent: {
      default: 1,
      description: "An abort fault on this share (percent) of requests or more is high.",
    },
    // docs/risk.md, Draining/Connections: a cut by five times or more is sharp.
    timeoutCutFactor: {
      default: 5,
      description: "A route timeout cut by this factor or more is high.",
    },
    // Judgement: a new timeout on a route that had none (Istio's default) below this ends slow requests.
    minTimeoutSeconds: {
      default: 5,
      description: "A timeout set where there was none, below this (seconds), is high.",
    },
  },
  dialects: ["kubernetes"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of pairObjects(objectsOf(file.before), objectsOf(file.after))) {
      if (!after || !isIstio(after, "VirtualService")) continue;
      const routes = virtualServiceRoutes(after);
      if (!before || !isIstio(before, "VirtualService")) {
        for (const route of routes) {
          const abort = abortFinding(after, undefined, route, params.abortPercent);
          if (abort) findings.push(abort);
        }
        continue;
      }
      const oldHosts = hostsOf(before);
      const newHosts = new Set(hostsOf(after));
      // `reviews` and `reviews.default.svc.cluster.local` are the same host.
      const newShort = new Set([...newHosts].map((host) => shortHost(host, after.namespace)));
      const lost = oldHosts.filter((host) => !newShort.has(shortHost(host, before.namespace)));
      if (lost.length > 0)
        findings.push({
          severity: "high",
          line: routes[0]?.line ?? after.line,
          path: objectPath(after, key("spec"), key("hosts")),
          message: `${after.label} no longer routes ${lost.join(", ")}: requests for ${lost.length === 1 ? "that host" : "those hosts"} match no route here and get 404s (or another VirtualService's routing). Safe: keep \`${lost.join("`, `")}\` in \`spec.hosts\` until clients move.`,
          before: oldHosts.join(", "),
          after: [...newHosts].join(", "),
          checklist: [`Confirm nothing still requests ${lost.join(", ")} through ${after.label}.`],
        });
      const oldRoutes = virtualServiceRoutes(before);
      const reachedAfter = new Set(routes.flatMap((route) => route.destinations.map((d) => d.key)));
      for (const [was, now] of pairBy(oldRoutes, routes, (route) => route.key)) {
        if (was && !now) {
          const stranded = was.destinations.filter((d) => d.weight > 0 && !reachedAfter.has(d.key));
          const severity: Severity = stranded.length > 0 ? "high" : "medium";
          findings.push({
            severity,
            line: routes[0]?.line ?? after.line,
            path: objectPath(after, key("spec"), key(was.section)),
            message:
              `${after.label} removes its ${was.label} (to ${destinations(was)}): the requests it matched fall through to the routes that remain` +
              (stranded.length > 0
                ? `, and ${stranded.map((d) => d.label).join(", ")} no longer receive${stranded.length === 1 ? "s" : ""} any traffic from it. Safe: keep the route (to \`${destinations(was)}\`) until its clients move.`
                : "."),
            before: destinations(was),
            after: null,
            checklist: [
              `Confirm the requests ${was.label} matched are served by the routes that remain.`,
            ],
          });
          continue;
        }
        if (!now) continue;
        if (was) {
          const moved = movedShare(was, now);
          if (moved > 0.5) {
            // A route matched only by headers or query parameters carries a chosen cohort, not everyone's traffic.
            const severity: Severity =
              freshShare(was, now) >= params.wholesaleShiftPercent && !now.scoped
                ? "high"
                : "medium";
            findings.push({
              severity,
              line: now.destinations[0]?.line ?? now.line,
              path: objectPath(after, key("spec"), key(now.section)),
              message: `${after.label} ${now.label} sends ${Math.round(moved)}% of its traffic to other destinations (${destinations(was)} → ${destinations(now)})${
                severity === "high"
                  ? `: the new destinations take that load at once, and if they are missing or not ready those requests fail. Safe: shift in steps (for example ${Math.min(20, Math.round(moved))}% at a time) and keep the old destination weighted until the new one serves.`
                  : "."
              }`,
              before: destinations(was),
              after: destinations(now),
              figures: { shiftedPercent: Math.round(moved) },
              checklist: [
                `Confirm ${destinations(now)} exist, are ready and carry the moved traffic.`,
              ],
            });
          }
          const timeout = timeoutFinding(
            after,
            was,
            now,
            params.timeoutCutFactor,
            params.minTimeoutSeconds,
          );
          if (timeout) findings.push(timeout);
        }
        const abort = abortFinding(after, was, now, params.abortPercent);
        if (abort) findings.push(abort);
      }
    }
    return findings;
  },
});

function abortFinding(
  object: KubernetesObject,
  was: IstioRoute | undefined,
  now: IstioRoute,
  highPercent: number,
): Detection | undefined {
  if (!now.abort) return undefined;
  const percent = now.abort.percent;
  const previous = was?.abort ? (was.abort.percent ?? 0) : 0;
  if (percent !== undefined && percent <= previous) return undefined;
  if (percent === undefined && was?.abort) return undefined;
  // A route matched only by a header or query parameter aborts the requests chosen for the test.
  const severity: Severity =
    percent !== undefined && percent >= highPercent && !now.scoped ? "high" : "medium";
  return {
    severity,
    line: now.abort.line,
    path: objectPath(object, key("spec"), key(now.section)),
    message:
      percent === undefined
        ? `${object.label} ${now.label} injects an abort fault without a percentage: check how many requests it fails.`
        : `${object.label} ${now.label} aborts ${percent}% of its requests with an injected fault${previous > 0 ? ` (was ${previous}%)` : ""}: those requests fail without reaching ${destinations(now)}.` +
          (severity === "high"
            ? ` Safe: set \`percentage.value: 0\` (or remove the fault), or scope it with a \`match\` on a test header.`
            : ""),
    before: previous,
    after: percent ?? null,
    figures: percent === undefined ? {} : { abortPercent: percent },
    checklist: [`Confirm the injected abort on ${object.label} is meant for live traffic.`],
  };
}

function timeoutFinding(
  object: KubernetesObject,
  was: IstioRoute,
  now: IstioRoute,
  cutFactor: number,
  minSeconds: number,
): Detection | undefined {
  const value = now.timeoutSeconds;
  if (value === undefined || value <= 0) return undefined;
  const old = was.timeoutSeconds;
  const sharp = old === undefined || old <= 0 ? value < minSeconds : old / value >= cutFactor;
  if (!sharp) return undefined;
  const fromText = old === undefined || old <= 0 ? "none (no timeout)" : formatSeconds(old);
  return {
    severity: "high",
    line: now.timeoutLine ?? now.line,
    path: objectPath(object, key("spec"), key(now.section)),
    message: `${object.label} ${now.label} timeout cut from ${fromText} to ${formatSeconds(value)}: requests to ${destinations(now)} that take longer get a 504. Safe: keep the timeout at ${formatSeconds(old && old > 0 ? Math.max(value, old / 2) : Math.max(value, 30))} or above the slowest request.`,
    before: old ?? null,
    after: value,
    figures: { timeoutSeconds: value, ...(old === undefined ? {} : { timeoutSecondsBefore: old }) },
    checklist: [
      `Confirm the slowest request of ${object.label} ${now.label} finishes within ${formatSeconds(value)}.`,
    ],
  };
}
