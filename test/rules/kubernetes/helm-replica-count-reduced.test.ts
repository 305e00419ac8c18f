import helmReplicaCountReduced from "../../../src/rules/kubernetes/helm-replica-count-reduced.js";
import { ruleTable } from "../rule-table.js";

ruleTable(helmReplicaCountReduced, {
  path: "chart/values.yaml",
  cases: [
    {
      name: "a replicaCount cut in values.yaml is medium",
      before: "replicaCount: 3\nimage:\n  tag: 1.0\n",
      after: "replicaCount: 1\nimage:\n  tag: 1.0\n",
      expect: [
        {
          severity: "medium",
          line: "replicaCount: 1",
          phrase: /replicaCount cut from 3 to 1: a single pod is left/,
        },
      ],
    },
    {
      name: "nested per-component counts are read too",
      before: "frontend:\n  replicaCount: 4\nbackend:\n  replicaCount: 2\n",
      after: "frontend:\n  replicaCount: 2\nbackend:\n  replicaCount: 2\n",
      path: "chart/values-prod.yaml",
      expect: [
        {
          severity: "medium",
          line: "replicaCount: 2",
          phrase: /frontend\.replicaCount cut from 4 to 2/,
        },
      ],
    },
    {
      name: "a raise is not reported",
      before: "replicaCount: 1\n",
      after: "replicaCount: 3\n",
      expect: [],
    },
  ],
});
