import startupBudgetTooSmall from "../../../src/rules/kubernetes/startup-budget-too-small.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, LIVENESS, STARTUP, deployment } from "./builders.js";

ruleTable(startupBudgetTooSmall, {
  path: K8S_PATH,
  cases: [
    {
      name: "a startup budget cut below 30 s is high",
      before: deployment({ container: STARTUP(10, 30) }),
      after: deployment({ container: STARTUP(10, 2) }),
      expect: [
        {
          severity: "high",
          line: "failureThreshold: 2",
          phrase: /now allows 20 s to start \(was 5 min\), below the 30 s floor/,
        },
      ],
    },
    {
      name: "a cut to half or less above the floor is medium",
      before: deployment({ container: STARTUP(10, 30) }),
      after: deployment({ container: STARTUP(10, 12) }),
      expect: [
        {
          severity: "medium",
          line: "failureThreshold: 12",
          phrase: /now allows 2 min to start/,
        },
      ],
    },
    {
      name: "removing the startupProbe under a quick livenessProbe is high",
      before: deployment({ container: STARTUP(10, 30) + LIVENESS(10, 3) }),
      after: deployment({ container: LIVENESS(10, 3) }),
      expect: [
        {
          severity: "high",
          line: "startupProbe:",
          side: "before",
          phrase: /restarts the container after 30 s .* where the startupProbe allowed 5 min/,
        },
      ],
    },
    {
      name: "a small cut above the floor is not reported",
      before: deployment({ container: STARTUP(10, 30) }),
      after: deployment({ container: STARTUP(10, 20) }),
      expect: [],
    },
    {
      name: "removing it is fine when liveness waits long enough",
      before: deployment({ container: STARTUP(10, 30) }),
      after: deployment({
        container: LIVENESS(10, 3).replace(
          "periodSeconds: 10",
          "initialDelaySeconds: 300\n          periodSeconds: 10",
        ),
      }),
      expect: [],
    },
  ],
});
