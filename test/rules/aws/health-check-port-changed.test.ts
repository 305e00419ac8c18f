import healthCheckPortChanged from "../../../src/rules/aws/health-check-port-changed.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, tgBase } from "./builders.js";

ruleTable(healthCheckPortChanged, {
  path: awsPath,
  cases: [
    {
      name: "traffic-port → 8081",
      before: tgBase('    port = "traffic-port"'),
      after: tgBase('    port = "8081"'),
      expect: [
        { severity: "high", line: 'port = "8081"', phrase: "probes port 8081 instead of 80" },
      ],
    },
    {
      name: "traffic-port → the group's own port is no change",
      before: tgBase('    port = "traffic-port"'),
      after: tgBase('    port = "80"'),
      expect: [],
    },
  ],
});
