import prestopRemovedOrShortened from "../../../src/rules/kubernetes/prestop-removed-or-shortened.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, PORTS, SERVICE, albIngress, deployment, preStop } from "./builders.js";

ruleTable(prestopRemovedOrShortened, {
  path: K8S_PATH,
  cases: [
    {
      name: "a removed preStop sleep is high",
      before: deployment({ container: preStop(15) }),
      after: deployment(),
      expect: [
        {
          severity: "high",
          line: "command:",
          side: "before",
          phrase: /preStop sleep of 15 s removed from container "app"/,
        },
      ],
    },
    {
      name: "a sleep cut below endpoint propagation is medium",
      before: deployment({ container: preStop(10) }),
      after: deployment({ container: preStop(2) }),
      expect: [
        {
          severity: "medium",
          line: "command:",
          phrase: /cut from 10 s to 2 s, below the 5 s/,
        },
      ],
    },
    {
      name: "behind an AWS load balancer the floor is higher",
      before:
        deployment({ container: PORTS + preStop(20) }) +
        SERVICE +
        albIngress("stickiness.enabled=false"),
      after:
        deployment({ container: PORTS + preStop(10) }) +
        SERVICE +
        albIngress("stickiness.enabled=false"),
      expect: [
        {
          severity: "medium",
          line: "command:",
          phrase: /below the 15 s it takes until the AWS load balancer deregisters the target/,
        },
      ],
    },
    {
      name: "a shorter sleep that still covers propagation is not reported",
      before: deployment({ container: preStop(20) }),
      after: deployment({ container: preStop(10) }),
      expect: [],
    },
  ],
});
