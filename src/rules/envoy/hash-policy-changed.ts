import { fingerprint, toPlain } from "../../formats/tree.js";
import { showValueForMessage } from "../message.js";
import { defineRule, type Detection } from "../types.js";
import {
  clusterLabel,
  clusterPath,
  clustersOf,
  HASH_POLICIES,
  lbPolicy,
} from "../model/envoy/clusters.js";
import { routesOf } from "../model/envoy/routes.js";
import { keptPairs } from "../model/pairs.js";
import { safe } from "../model/advice.js";

/** RING_HASH/MAGLEV keep a key on one host only through the routes' hash_policy (docs/lb-facts.md §P3). */
export default defineRule({
  id: "envoy.hash-policy.changed",
  family: "envoy",
  title: "Route hash policy removed or changed for a hashing cluster",
  description:
    "A route whose cluster (in the same file) balances with RING_HASH or MAGLEV loses its hash_policy (the ring " +
    "then picks a random host: affinity lost) or hashes on another key (every client maps to a new host): high. " +
    "A cluster moved to RING_HASH/MAGLEV with no route giving it a hash_policy gets no affinity at all (medium).",
  severity: "high",
  params: {},
  dialects: ["envoy"],
  check(file) {
    const findings: Detection[] = [];
    const clusters = new Map(clustersOf(file.after).map((cluster) => [cluster.name, cluster]));
    const previousPolicy = new Map(
      clustersOf(file.before).map((cluster) => [cluster.name, lbPolicy(cluster).mode]),
    );
    const hashing = (name: string | undefined): string | undefined => {
      const cluster = name === undefined ? undefined : clusters.get(name);
      const policy = cluster ? lbPolicy(cluster).mode : undefined;
      return policy && HASH_POLICIES.has(policy) ? policy : undefined;
    };
    const routesAfter = routesOf(file.after);
    for (const [was, route] of keptPairs(routesOf(file.before), routesAfter)) {
      const policy = hashing(route.cluster);
      if (!policy || !was.hashPolicy) continue;
      if (route.hashPolicy && fingerprint(route.hashPolicy) === fingerprint(was.hashPolicy))
        continue;
      const removed = route.hashPolicy === undefined;
      findings.push({
        severity: "high",
        line: removed ? was.hashPolicy.line : route.hashPolicy!.line,
        path: route.path,
        message: removed
          ? `${route.label} no longer has a hash_policy, but cluster "${route.cluster}" balances with ${policy}: each request goes to a random host, so session affinity is lost.${safe(`keep the route's hash_policy ${showValueForMessage(toPlain(was.hashPolicy))}`)}`
          : `${route.label} hashes on ${showValueForMessage(toPlain(route.hashPolicy!))} instead of ${showValueForMessage(toPlain(was.hashPolicy))} for ${policy} cluster "${route.cluster}": every client maps to a new host once.${safe(`keep hash_policy ${showValueForMessage(toPlain(was.hashPolicy))}`)}`,
        before: toPlain(was.hashPolicy),
        after: route.hashPolicy ? toPlain(route.hashPolicy) : null,
        checklist: [
          `Confirm the clients of cluster "${route.cluster}" keep their state when they move to another host.`,
        ],
      });
    }
    for (const cluster of clusters.values()) {
      const policy = lbPolicy(cluster).mode;
      const old = previousPolicy.get(cluster.name);
      if (!HASH_POLICIES.has(policy) || old === undefined || HASH_POLICIES.has(old)) continue;
      const targeting = routesAfter.filter((route) => route.cluster === cluster.name);
      if (targeting.length === 0 || targeting.some((route) => route.hashPolicy)) continue;
      findings.push({
        severity: "medium",
        line: cluster.line,
        path: clusterPath(cluster, "lb_policy"),
        message: `${clusterLabel(cluster)} now balances with ${policy}, but ${targeting.length === 1 ? "its route sets no hash_policy" : `none of its ${targeting.length} routes sets a hash_policy`}: requests go to random hosts, with no affinity.`,
        before: old,
        after: policy,
        checklist: [
          `Add a hash_policy (header, cookie or source IP) to the routes of ${clusterLabel(cluster)}, or keep its previous policy.`,
        ],
      });
    }
    return findings;
  },
});
