import serviceExternalTrafficPolicyLocal from "../../../src/rules/kubernetes/service-external-traffic-policy-local.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, service } from "./builders.js";

ruleTable(serviceExternalTrafficPolicyLocal, {
  path: K8S_PATH,
  cases: [
    {
      name: "Cluster → Local is medium",
      before: service("  - port: 80\n", "  type: LoadBalancer\n"),
      after: service("  - port: 80\n", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n"),
      expect: [
        {
          severity: "medium",
          line: "externalTrafficPolicy: Local",
          phrase:
            /externalTrafficPolicy Cluster → Local: traffic .* to a node without a ready pod .* is dropped/,
        },
      ],
    },
    {
      name: "Local → Cluster is low",
      before: service("  - port: 80\n", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n"),
      after: service("  - port: 80\n", "  type: LoadBalancer\n  externalTrafficPolicy: Cluster\n"),
      expect: [
        {
          severity: "low",
          line: "externalTrafficPolicy: Cluster",
          phrase: /source IP is no longer preserved/,
        },
      ],
    },
    {
      name: "an unchanged policy is not reported",
      before: service("  - port: 80\n", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n"),
      after: service("  - port: 81\n", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n"),
      expect: [],
    },
  ],
});
