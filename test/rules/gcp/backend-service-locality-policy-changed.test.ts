import backendServiceLocalityPolicyChanged from "../../../src/rules/gcp/backend-service-locality-policy-changed.js";
import { ruleTable } from "../rule-table.js";
import { service } from "./builders.js";

ruleTable(backendServiceLocalityPolicyChanged, {
  path: "lb.tf",
  cases: [
    {
      name: "ROUND_ROBIN → LEAST_REQUEST",
      before: service('  load_balancing_scheme = "EXTERNAL_MANAGED"'),
      after: service(
        '  load_balancing_scheme = "EXTERNAL_MANAGED"\n  locality_lb_policy    = "LEAST_REQUEST"',
      ),
      expect: [
        {
          severity: "medium",
          line: "locality_lb_policy",
          phrase: "LEAST_REQUEST instead of ROUND_ROBIN",
        },
      ],
    },
    {
      name: "leaving RING_HASH while session affinity is set",
      before: service('  session_affinity   = "HEADER_FIELD"\n  locality_lb_policy = "RING_HASH"'),
      after: service('  session_affinity   = "HEADER_FIELD"\n  locality_lb_policy = "ROUND_ROBIN"'),
      expect: [
        {
          severity: "high",
          line: 'locality_lb_policy = "ROUND_ROBIN"',
          phrase: "stop sticking",
        },
      ],
    },
    {
      name: "the default made explicit",
      before: service(""),
      after: service('  locality_lb_policy = "ROUND_ROBIN"'),
      expect: [],
    },
  ],
});
