import hashPolicyChanged from "../../../src/rules/envoy/hash-policy-changed.js";
import { ruleTable } from "../rule-table.js";
import { ENVOY_PATH, bootstrap, cluster, route } from "./builders.js";

ruleTable(hashPolicyChanged, {
  path: ENVOY_PATH,
  cases: [
    {
      name: "hash_policy removed from a route to a RING_HASH cluster (before-side line)",
      before: bootstrap(
        cluster("lb_policy: RING_HASH"),
        route("hash_policy:", "- header: { header_name: x-user }"),
      ),
      after: bootstrap(cluster("lb_policy: RING_HASH")),
      expect: [{ severity: "high", line: 23, phrase: "each request goes to a random host" }],
    },
    {
      name: "hash key changed",
      before: bootstrap(
        cluster("lb_policy: MAGLEV"),
        route("hash_policy:", "- header: { header_name: x-user }"),
      ),
      after: bootstrap(
        cluster("lb_policy: MAGLEV"),
        route("hash_policy:", "- connection_properties: { source_ip: true }"),
      ),
      expect: [{ severity: "high", line: 23, phrase: "every client maps to a new host once" }],
    },
    {
      name: "a cluster moved to RING_HASH with no hash_policy on its routes",
      before: bootstrap(""),
      after: bootstrap(cluster("lb_policy: RING_HASH")),
      expect: [{ severity: "medium", line: 24, phrase: "its route sets no hash_policy" }],
    },
    {
      name: "hash_policy removed while the cluster does not hash: inert",
      before: bootstrap(
        cluster("lb_policy: ROUND_ROBIN"),
        route("hash_policy:", "- header: { header_name: x-user }"),
      ),
      after: bootstrap(cluster("lb_policy: ROUND_ROBIN")),
      expect: [],
    },
  ],
});
