import { itemsOf } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { fold, scalarFold } from "../model/traefik/keys.js";
import {
  serversOf,
  servicePairs,
  servicePath,
  type TraefikService,
} from "../model/traefik/services.js";

/** Child → weight of a weighted service (weight 1 when unset, traefik dynamic config). */
function weightedChildren(
  service: TraefikService,
): Map<string, { weight: number; line: number }> | undefined {
  const weighted = fold(service.body, "weighted");
  if (!weighted) return undefined;
  const children = new Map<string, { weight: number; line: number }>();
  for (const entry of itemsOf(fold(weighted, "services"))) {
    const name = scalarFold(entry, "name");
    if (typeof name !== "string") continue;
    children.set(name, { weight: toNumber(scalarFold(entry, "weight")) ?? 1, line: entry.line });
  }
  return children;
}

/** Server → weight, only when both versions balance over the same servers (removals are traefik.server.removed). */
function serverWeights(service: TraefikService): Map<string, { weight: number; line: number }> {
  return new Map(
    serversOf(service).map((server) => [server.key, { weight: server.weight, line: server.line }]),
  );
}

/** Share of traffic that moves between two weightings: half the sum of the share differences. */
function movedShare(
  was: Map<string, { weight: number }>,
  now: Map<string, { weight: number }>,
): { moved: number; gains: [string, number, number][] } {
  const total = (map: Map<string, { weight: number }>): number =>
    [...map.values()].reduce((sum, entry) => sum + Math.max(entry.weight, 0), 0);
  const wasTotal = total(was);
  const nowTotal = total(now);
  if (wasTotal === 0 || nowTotal === 0) return { moved: 0, gains: [] };
  const names = new Set([...was.keys(), ...now.keys()]);
  let moved = 0;
  const gains: [string, number, number][] = [];
  for (const name of names) {
    const before = Math.max(was.get(name)?.weight ?? 0, 0) / wasTotal;
    const after = Math.max(now.get(name)?.weight ?? 0, 0) / nowTotal;
    moved += Math.abs(after - before) / 2;
    if (after !== before) gains.push([name, before, after]);
  }
  return { moved, gains };
}

const percent = (share: number): string => `${Math.round(share * 100)}%`;

/** A large share of traffic moving at once (a canary promoted, a weight typo) can overload the receiving side. */
export default defineRule({
  id: "traefik.weighted.shift",
  family: "traefik",
  title: "Large shift of traffic between weighted services or servers",
  description:
    "The weights of a weighted service's children (or of a load balancer's servers, when the set of servers is " +
    "unchanged) move more than a quarter of the traffic from one side to another: the receiving services or " +
    "servers must absorb it at once.",
  severity: "medium",
  params: {
    // docs/lb-facts.md §P7 Capacity: more than 25 % of traffic share moved.
    movedPercent: {
      default: 25,
      description: "Share of the traffic (percent) that must move for the rule to fire.",
    },
  },
  dialects: ["traefik"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of servicePairs(file.before, file.after)) {
      const weightedBefore = weightedChildren(before);
      const weightedAfter = weightedChildren(after);
      let was = weightedBefore;
      let now = weightedAfter;
      let what = "weighted services";
      let path = servicePath(after, "weighted", "services");
      if (!was || !now) {
        was = serverWeights(before);
        now = serverWeights(after);
        what = "servers";
        path = servicePath(after, "loadBalancer", "servers");
        const same = was.size === now.size && [...was.keys()].every((name) => now!.has(name));
        if (!same || was.size < 2) continue;
      }
      const { moved, gains } = movedShare(was, now);
      if (moved * 100 <= params.movedPercent) continue;
      const changes = gains
        // Largest moves first; rounded so that equal moves keep the file's order.
        .sort(
          (a, b) =>
            Math.round(Math.abs(b[2] - b[1]) * 1000) - Math.round(Math.abs(a[2] - a[1]) * 1000),
        )
        .map(([name, from, to]) => `${name} ${percent(from)} → ${percent(to)}`)
        .join(", ");
      const firstChanged = gains.map(([name]) => now!.get(name)).find(Boolean);
      findings.push({
        severity: "medium",
        line: firstChanged?.line ?? after.body.line,
        path,
        message: `${after.label} moves ${percent(moved)} of its traffic between ${what} (${changes}): the receiving side takes it at once.`,
        before: Object.fromEntries([...was].map(([name, entry]) => [name, entry.weight])),
        after: Object.fromEntries([...now].map(([name, entry]) => [name, entry.weight])),
        figures: { movedPercent: Math.round(moved * 100) },
        checklist: [
          `Confirm the ${what} gaining traffic in ${after.label} are scaled for their new share.`,
        ],
      });
    }
    return findings;
  },
});
