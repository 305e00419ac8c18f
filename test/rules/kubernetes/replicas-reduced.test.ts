import replicasReduced from "../../../src/rules/kubernetes/replicas-reduced.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, deployment, hpa } from "./builders.js";

/** An autoscaler of Deployment web, appended to the Deployment's file. */
const HPA = hpa("minReplicas: 2", "maxReplicas: 10");

ruleTable(replicasReduced, {
  path: K8S_PATH,
  cases: [
    {
      name: "3 → 1 leaves no redundancy: high",
      before: deployment(),
      after: deployment({ replicas: "  replicas: 1" }),
      expect: [
        {
          severity: "high",
          line: "replicas: 1",
          phrase: /scaled from 3 to 1 replicas: a single pod is left/,
        },
      ],
    },
    {
      name: "scaled to zero: high",
      before: deployment(),
      after: deployment({ replicas: "  replicas: 0" }),
      expect: [{ severity: "high", line: "replicas: 0", phrase: /no pod is left to serve/ }],
    },
    {
      name: "10 → 2: cut by 5× (docs/risk.md: loosened sharply), high",
      before: deployment({ replicas: "  replicas: 10" }),
      after: deployment({ replicas: "  replicas: 2" }),
      expect: [
        {
          severity: "high",
          line: "replicas: 2",
          phrase: /2 pods take the load of 10, 5× each.*Safe: keep replicas: 10/,
        },
      ],
    },
    {
      name: "a cut of more than half: medium",
      before: deployment({ replicas: "  replicas: 10" }),
      after: deployment({ replicas: "  replicas: 4" }),
      expect: [{ severity: "medium", line: "replicas: 4", phrase: /4 pods take the load of 10/ }],
    },
    {
      name: "removing the field without an autoscaler: medium (defaults to 1)",
      before: deployment(),
      after: deployment({ replicas: "  minReadySeconds: 5" }),
      expect: [
        {
          severity: "medium",
          line: "replicas: 3",
          side: "before",
          phrase: /no longer sets replicas \(was 3\), so it runs the default 1/,
        },
      ],
    },
    {
      name: "with an autoscaler in the file a cut is medium at most",
      before: deployment() + HPA,
      after: deployment({ replicas: "  replicas: 1" }) + HPA,
      expect: [
        {
          severity: "medium",
          line: "replicas: 1",
          phrase: /until its autoscaler scales it back/,
        },
      ],
    },
    {
      name: "with an autoscaler, removing the field is the recommended practice",
      before: deployment() + HPA,
      after: deployment({ replicas: "  minReadySeconds: 5" }) + HPA,
      expect: [],
    },
    {
      name: "a small cut is not reported",
      before: deployment({ replicas: "  replicas: 4" }),
      after: deployment(),
      expect: [],
    },
    {
      name: "a Helm placeholder is unknowable",
      before: deployment({ replicas: "  replicas: {{ .Values.replicas }}" }),
      after: deployment({ replicas: "  replicas: 1" }),
      path: "chart/templates/deployment.yaml",
      expect: [],
    },
    {
      name: "DaemonSets have no replicas to cut",
      before: deployment({ kind: "DaemonSet" }),
      after: deployment({ kind: "DaemonSet", replicas: "  minReadySeconds: 5" }),
      expect: [],
    },
  ],
});
