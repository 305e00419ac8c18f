import terminationGraceShorterThanDrain from "../../../src/rules/kubernetes/termination-grace-shorter-than-drain.js";
import { ruleTable } from "../rule-table.js";
import { K8S_PATH, PORTS, SERVICE, albIngress, deployment, preStop } from "./builders.js";

/** The pod spec's terminationGracePeriodSeconds line. */
const grace = (seconds: number) => `      terminationGracePeriodSeconds: ${seconds}\n`;

ruleTable(terminationGraceShorterThanDrain, {
  path: K8S_PATH,
  cases: [
    {
      name: "terminationGracePeriodSeconds 5 added (default 30 s: a 6× cut) on a workload a Service selects is high",
      before: deployment({ container: PORTS }) + SERVICE,
      after: deployment({ podSpec: grace(5), container: PORTS }) + SERVICE,
      expect: [
        {
          severity: "high",
          line: "terminationGracePeriodSeconds: 5",
          phrase:
            /5 s to terminate \(was 30 s\), a 6× cut: pods that a Service in this file sends requests to.*Safe: terminationGracePeriodSeconds: 30/,
        },
      ],
    },
    {
      name: "the same cut on a workload that declares ports and no Service in the file: a Service elsewhere may select it, high",
      before: deployment({ container: PORTS }),
      after: deployment({ podSpec: grace(5), container: PORTS }),
      expect: [
        { severity: "high", line: "terminationGracePeriodSeconds: 5", phrase: "declare ports" },
      ],
    },
    {
      name: "the same cut on a workload with no port and no Service (a client, a worker) is medium",
      before: deployment(),
      after: deployment({ podSpec: grace(5) }),
      expect: [
        { severity: "medium", line: "terminationGracePeriodSeconds: 5", phrase: "declare no port" },
      ],
    },
    {
      name: "30 s → 10 s is a 3× cut above the near-zero floor: not reported without a preStop sleep",
      before: deployment({ container: PORTS }) + SERVICE,
      after: deployment({ podSpec: grace(10), container: PORTS }) + SERVICE,
      expect: [],
    },
    {
      name: "a grace period cut below the ALB's deregistration delay is high",
      before:
        deployment({ podSpec: grace(90), container: PORTS }) +
        SERVICE +
        albIngress("deregistration_delay.timeout_seconds=60"),
      after:
        deployment({ podSpec: grace(45), container: PORTS }) +
        SERVICE +
        albIngress("deregistration_delay.timeout_seconds=60"),
      expect: [
        {
          severity: "high",
          line: "terminationGracePeriodSeconds: 45",
          phrase:
            /gives its pods 45 s to terminate \(was 90 s\), shorter than the 60 s deregistration delay of Ingress web/,
        },
      ],
    },
    {
      name: "raising the deregistration delay above the grace period is high too",
      before:
        deployment({ container: PORTS }) +
        SERVICE +
        albIngress("deregistration_delay.timeout_seconds=20"),
      after:
        deployment({ container: PORTS }) +
        SERVICE +
        albIngress("deregistration_delay.timeout_seconds=120"),
      expect: [
        {
          severity: "high",
          line: "deregistration_delay.timeout_seconds=120",
          phrase: /30 s \(the default\) to terminate, shorter than the 2 min deregistration delay/,
        },
      ],
    },
    {
      name: "a grace period not longer than the preStop sleep is high",
      before: deployment({ podSpec: grace(60), container: preStop(20) }),
      after: deployment({ podSpec: grace(20), container: preStop(20) }),
      expect: [
        {
          severity: "high",
          line: "terminationGracePeriodSeconds: 20",
          phrase: /not longer than the 20 s preStop sleep/,
        },
      ],
    },
    {
      name: "a grace period cut below 30 s while a preStop sleep drains: medium",
      before: deployment({ podSpec: grace(40), container: preStop(5) }),
      after: deployment({ podSpec: grace(20), container: preStop(5) }),
      expect: [
        {
          severity: "medium",
          line: "terminationGracePeriodSeconds: 20",
          phrase: /below 30 s while a 5 s preStop sleep/,
        },
      ],
    },
    {
      name: "a cut that still covers the delay is not reported",
      before:
        deployment({ podSpec: grace(90), container: PORTS }) +
        SERVICE +
        albIngress("deregistration_delay.timeout_seconds=60"),
      after:
        deployment({ podSpec: grace(70), container: PORTS }) +
        SERVICE +
        albIngress("deregistration_delay.timeout_seconds=60"),
      expect: [],
    },
    {
      name: "a 12× cut without preStop, delay, port or Service is medium (docs/risk.md: draining cut by 5× or more; nothing shows it serves)",
      before: deployment({ podSpec: grace(60) }),
      after: deployment({ podSpec: grace(5) }),
      expect: [
        { severity: "medium", line: "terminationGracePeriodSeconds: 5", phrase: "a 12× cut" },
      ],
    },
  ],
});
