import livenessAggressive from "../../../src/rules/kubernetes/liveness-aggressive.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, LIVENESS, READINESS, deployment } from "./builders.js";

ruleTable(livenessAggressive, {
  path: K8S_PATH,
  cases: [
    {
      name: "a liveness budget cut below 10 s is high",
      before: deployment({ container: LIVENESS(10, 3) }),
      after: deployment({ container: LIVENESS(3, 2) }),
      expect: [
        {
          severity: "high",
          line: "periodSeconds: 3",
          phrase: /restarts the container after 6 s of failed checks \(2 × 3 s, was 30 s\)/,
        },
      ],
    },
    {
      name: "a new livenessProbe that is already too eager is high",
      before: deployment({ container: READINESS }),
      after: deployment({ container: READINESS + LIVENESS(2, 1) }),
      expect: [{ severity: "high", line: "periodSeconds: 2", phrase: /new probe/ }],
    },
    {
      name: "a liveness timeout cut from 5 s to 1 s is high",
      before: deployment({ container: LIVENESS(10, 3, 5) }),
      after: deployment({ container: LIVENESS(10, 3, 1) }),
      expect: [
        {
          severity: "high",
          line: "timeoutSeconds: 1",
          phrase: /times a check out after 1 s \(was 5 s\)/,
        },
      ],
    },
    {
      name: "a cut that stays above the floor is lb.health-check's business",
      before: deployment({ container: LIVENESS(10, 3) }),
      after: deployment({ container: LIVENESS(4, 3) }),
      expect: [],
    },
    {
      name: "a budget that was already below the floor does not newly cross it",
      before: deployment({ container: LIVENESS(3, 2) }),
      after: deployment({ container: LIVENESS(2, 2) }),
      expect: [],
    },
  ],
});
