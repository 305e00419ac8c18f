import probeRemoved from "../../../src/rules/kubernetes/probe-removed.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, LIVENESS, READINESS, deployment } from "./builders.js";

ruleTable(probeRemoved, {
  path: K8S_PATH,
  cases: [
    {
      name: "a removed readinessProbe is high",
      before: deployment({ container: READINESS + LIVENESS(10, 3) }),
      after: deployment({ container: LIVENESS(10, 3) }),
      expect: [
        {
          severity: "high",
          line: "readinessProbe:",
          side: "before",
          phrase: /readinessProbe removed from container "app" in Deployment web/,
        },
      ],
    },
    {
      name: "a removed livenessProbe is medium",
      before: deployment({ container: READINESS + LIVENESS(10, 3) }),
      after: deployment({ container: READINESS }),
      expect: [
        {
          severity: "medium",
          line: "livenessProbe:",
          side: "before",
          phrase: /no longer restarted/,
        },
      ],
    },
    {
      name: "a probe that is only retuned is not a removal",
      before: deployment({ container: READINESS }),
      after: deployment({ container: READINESS.replace("periodSeconds: 5", "periodSeconds: 10") }),
      expect: [],
    },
    {
      name: "in a Helm template a removal is medium (an action may render the probe)",
      before: deployment({ container: READINESS }).replace(
        "name: web\n",
        'name: "{{ .Release.Name }}"\n',
      ),
      after: deployment({ container: '{{ include "web.probes" . | nindent 8 }}\n' }).replace(
        "name: web\n",
        'name: "{{ .Release.Name }}"\n',
      ),
      path: "chart/templates/deployment.yaml",
      expect: [
        {
          severity: "medium",
          line: "readinessProbe:",
          side: "before",
          phrase: /unless a template action now renders it/,
        },
      ],
    },
    {
      name: "Jobs are not judged",
      before: deployment({ kind: "Job", replicas: "  parallelism: 1", container: READINESS }),
      after: deployment({ kind: "Job", replicas: "  parallelism: 1" }),
      expect: [],
    },
  ],
});
