import lbProbeTargetChanged from "../../../src/rules/azure/lb-probe-target-changed.js";
import { ruleTable } from "../rule-table.js";
import { probe } from "./builders.js";

ruleTable(lbProbeTargetChanged, {
  path: "lb.tf",
  cases: [
    {
      name: "Tcp → Http with a path",
      before: probe("  port = 80"),
      after: probe('  port = 80\n  protocol = "Http"\n  request_path = "/health"'),
      expect: [{ severity: "high", line: 'protocol = "Http"', phrase: "with a 200" }],
    },
    {
      name: "a new port",
      before: probe("  port = 80"),
      after: probe("  port = 8080"),
      expect: [{ severity: "high", line: "port = 8080", phrase: "port 80 → 8080" }],
    },
    {
      name: "Http → Tcp",
      before: probe('  port = 80\n  protocol = "Http"\n  request_path = "/health"'),
      after: probe('  port = 80\n  protocol = "Tcp"\n  request_path = "/health"'),
      expect: [
        {
          severity: "medium",
          line: 'protocol = "Tcp"',
          phrase: "only checks that the port accepts TCP connections",
        },
      ],
    },
    {
      name: "case is not a change",
      before: probe('  port = 80\n  protocol = "Http"\n  request_path = "/"'),
      after: probe('  port = 80\n  protocol = "HTTP"\n  request_path = "/"'),
      expect: [],
    },
  ],
});
