import healthCheckProtocolChanged from "../../../src/rules/aws/health-check-protocol-changed.js";
import { ruleTable } from "../rule-table.js";
import { awsPath, tgBase } from "./builders.js";

ruleTable(healthCheckProtocolChanged, {
  path: awsPath,
  cases: [
    {
      name: "HTTP → HTTPS",
      before: tgBase('    protocol = "HTTP"'),
      after: tgBase('    protocol = "HTTPS"'),
      expect: [{ severity: "high", line: 'protocol = "HTTPS"', phrase: "from HTTP to HTTPS" }],
    },
    {
      name: "HTTP → TCP only checks connections",
      before: tgBase('    protocol = "HTTP"'),
      after: tgBase('    protocol = "TCP"'),
      expect: [{ severity: "medium", line: 'protocol = "TCP"', phrase: "only opens a connection" }],
    },
    {
      name: "case is not a change",
      before: tgBase('    protocol = "http"'),
      after: tgBase('    protocol = "HTTP"'),
      expect: [],
    },
  ],
});
