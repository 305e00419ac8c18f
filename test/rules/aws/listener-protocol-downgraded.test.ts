import listenerProtocolDowngraded from "../../../src/rules/aws/listener-protocol-downgraded.js";
import { ruleTable } from "../rule-table.js";
import { FORWARD_WEB, awsPath, listener } from "./builders.js";

ruleTable(listenerProtocolDowngraded, {
  path: awsPath,
  cases: [
    {
      name: "HTTPS → HTTP",
      before: listener('  port     = 443\n  protocol = "HTTPS"', FORWARD_WEB),
      after: listener('  port     = 443\n  protocol = "HTTP"', FORWARD_WEB),
      expect: [{ severity: "high", line: 'protocol = "HTTP"', phrase: "no longer encrypted" }],
    },
    {
      name: "TCP → TLS",
      before: listener('  port     = 443\n  protocol = "TCP"', FORWARD_WEB),
      after: listener('  port     = 443\n  protocol = "TLS"', FORWARD_WEB),
      expect: [{ severity: "low", line: 'protocol = "TLS"', phrase: "plain text" }],
    },
    {
      name: "unchanged protocol",
      before: listener('  port     = 80\n  protocol = "HTTP"', FORWARD_WEB),
      after: listener('  port     = 8080\n  protocol = "HTTP"', FORWARD_WEB),
      expect: [],
    },
  ],
});
