import serviceSelectorChanged from "../../../src/rules/kubernetes/service-selector-changed.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, deployment, service } from "./builders.js";

ruleTable(serviceSelectorChanged, {
  path: K8S_PATH,
  cases: [
    {
      name: "a selector that no longer matches the Deployment's pods is high",
      before: deployment() + service("  - port: 80\n"),
      after: deployment() + service("  - port: 80\n", "", "    app: web-v2"),
      expect: [
        {
          severity: "high",
          line: "selector:",
          nth: 2,
          phrase: /from app=web to app=web-v2 and no longer matches the pods of Deployment web/,
        },
      ],
    },
    {
      name: "pod labels changed under an unchanged selector is high",
      before: deployment() + service("  - port: 80\n"),
      after: deployment({ labels: "        app: webapp" }) + service("  - port: 80\n"),
      expect: [
        {
          severity: "high",
          line: "labels:",
          phrase:
            /pod labels of Deployment web no longer match the selector app=web of Service web:/,
        },
      ],
    },
    {
      name: "a changed selector without the workloads in the file is medium",
      before: service("  - port: 80\n"),
      after: service("  - port: 80\n", "", "    app: web\n    tier: front"),
      expect: [
        {
          severity: "medium",
          line: "selector:",
          phrase: /routes to a different set of pods/,
        },
      ],
    },
    {
      name: "a selector that still matches the same pods is low",
      before:
        deployment({ labels: "        app: web\n        tier: front" }) + service("  - port: 80\n"),
      after:
        deployment({ labels: "        app: web\n        tier: front" }) +
        service("  - port: 80\n", "", "    app: web\n    tier: front"),
      expect: [
        {
          severity: "low",
          line: "selector:",
          nth: 2,
          phrase: /still selects the same workloads/,
        },
      ],
    },
    {
      name: "an unrelated change is not reported",
      before: deployment() + service("  - port: 80\n"),
      after: deployment({ replicas: "  replicas: 4" }) + service("  - port: 80\n"),
      expect: [],
    },
  ],
});
