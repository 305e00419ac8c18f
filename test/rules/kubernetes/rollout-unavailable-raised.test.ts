import rolloutUnavailableRaised from "../../../src/rules/kubernetes/rollout-unavailable-raised.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, deployment } from "./builders.js";

ruleTable(rolloutUnavailableRaised, {
  path: K8S_PATH,
  cases: [
    {
      name: "switching to Recreate is high",
      before: deployment({ extra: "" }).replace(
        "  selector:",
        "  strategy:\n    type: RollingUpdate\n  selector:",
      ),
      after: deployment().replace("  selector:", "  strategy:\n    type: Recreate\n  selector:"),
      expect: [
        {
          severity: "high",
          line: "type: Recreate",
          phrase: /every rollout stops all pods before the new ones start/,
        },
      ],
    },
    {
      name: "maxUnavailable raised to half the pods is medium",
      before: deployment({ replicas: "  replicas: 4" }),
      after: deployment({ replicas: "  replicas: 4" }).replace(
        "  selector:",
        "  strategy:\n    rollingUpdate:\n      maxUnavailable: 50%\n  selector:",
      ),
      expect: [
        {
          severity: "medium",
          line: "maxUnavailable: 50%",
          phrase: /may now take 2 of 4 pods down at once \(maxUnavailable 25% → 50%\)/,
        },
      ],
    },
    {
      name: "a raise that still rounds to one pod is not reported",
      before: deployment({ replicas: "  replicas: 4" }),
      after: deployment({ replicas: "  replicas: 4" }).replace(
        "  selector:",
        "  strategy:\n    rollingUpdate:\n      maxUnavailable: 30%\n  selector:",
      ),
      expect: [],
    },
  ],
});
