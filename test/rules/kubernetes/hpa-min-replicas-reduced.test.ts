import hpaMinReplicasReduced from "../../../src/rules/kubernetes/hpa-min-replicas-reduced.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, hpa } from "./builders.js";

ruleTable(hpaMinReplicasReduced, {
  path: K8S_PATH,
  cases: [
    {
      name: "minReplicas 3 → 1: no redundancy at the quietest hour, high",
      before: hpa("minReplicas: 3", "maxReplicas: 10"),
      after: hpa("minReplicas: 1", "maxReplicas: 10"),
      expect: [
        {
          severity: "high",
          line: "minReplicas: 1",
          phrase:
            /HorizontalPodAutoscaler web \(web\) may now scale down to 1 replica, was 3.*Safe: keep minReplicas: 3/,
        },
      ],
    },
    {
      name: "minReplicas 20 → 4: cut by 5×, high",
      before: hpa("minReplicas: 20", "maxReplicas: 40"),
      after: hpa("minReplicas: 4", "maxReplicas: 40"),
      expect: [{ severity: "high", line: "minReplicas: 4", phrase: "4 pods take the load of 20" }],
    },
    {
      name: "minReplicas 6 → 3: halved, medium",
      before: hpa("minReplicas: 6", "maxReplicas: 10"),
      after: hpa("minReplicas: 3", "maxReplicas: 10"),
      expect: [{ severity: "medium", line: "minReplicas: 3", phrase: "3 pods take the load of 6" }],
    },
    {
      name: "minReplicas 4 → 3: a small cut",
      before: hpa("minReplicas: 4", "maxReplicas: 10"),
      after: hpa("minReplicas: 3", "maxReplicas: 10"),
      expect: [],
    },
    {
      name: "Helm template: minReplicas 3 removed falls back to the default 1, high",
      path: "charts/web/templates/hpa.yaml",
      before: hpa("minReplicas: 3", "maxReplicas: {{ .Values.maxReplicas }}"),
      after: hpa("maxReplicas: {{ .Values.maxReplicas }}"),
      expect: [
        {
          severity: "high",
          line: "minReplicas: 3",
          side: "before",
          phrase: "1 replica (the default), was 3",
        },
      ],
    },
    {
      name: "Helm template: a templated floor cannot be judged",
      path: "charts/web/templates/hpa.yaml",
      before: hpa("minReplicas: 3", "maxReplicas: 10"),
      after: hpa("minReplicas: {{ .Values.minReplicas }}", "maxReplicas: 10"),
      expect: [],
    },
  ],
});
