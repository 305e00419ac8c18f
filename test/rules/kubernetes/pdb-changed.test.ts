import pdbChanged from "../../../src/rules/kubernetes/pdb-changed.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, deployment, pdb } from "./builders.js";

ruleTable(pdbChanged, {
  path: K8S_PATH,
  cases: [
    {
      name: "minAvailable 2 → 0 protects nothing: loosened sharply (docs/risk.md), high",
      before: pdb("minAvailable: 2"),
      after: pdb("minAvailable: 0"),
      expect: [
        {
          severity: "high",
          line: "minAvailable: 0",
          phrase: /may evict every pod at once.*Safe: keep minAvailable: 2/,
        },
      ],
    },
    {
      name: "maxUnavailable 0 blocks node drains: medium",
      before: pdb("maxUnavailable: 1"),
      after: pdb("maxUnavailable: 0"),
      expect: [
        {
          severity: "medium",
          line: "maxUnavailable: 0",
          phrase: /node drains, cluster upgrades and autoscaler scale-downs hang/,
        },
      ],
    },
    {
      name: "with the workload in the file, allowed disruptions are computed (1 → 3 of 4: low)",
      before: deployment({ replicas: "  replicas: 4" }) + pdb("minAvailable: 3"),
      after: deployment({ replicas: "  replicas: 4" }) + pdb("minAvailable: 1"),
      expect: [
        {
          severity: "low",
          line: "minAvailable: 1",
          phrase: /\(3 of 4 pods may be evicted at once, was 1\)/,
        },
      ],
    },
    {
      name: "removing the PDB is medium",
      before: deployment() + pdb("minAvailable: 2"),
      after: deployment(),
      expect: [
        {
          severity: "medium",
          line: "apiVersion: policy/v1",
          side: "before",
          phrase: /PodDisruptionBudget web removed/,
        },
      ],
    },
    {
      name: "tightening is not reported",
      before: pdb("minAvailable: 1"),
      after: pdb("minAvailable: 2"),
      expect: [],
    },
    {
      name: "removed together with the workload it protected",
      before: deployment() + pdb("minAvailable: 2"),
      after: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n",
      expect: [],
    },
  ],
});
