import appGatewayConnectionDrainingWeakened from "../../../src/rules/azure/app-gateway-connection-draining-weakened.js";
import { ruleTable } from "../rule-table.js";
import { gateway } from "./builders.js";

const draining = (enabled: boolean, timeout: number) =>
  `    connection_draining {\n      enabled           = ${enabled}\n      drain_timeout_sec = ${timeout}\n    }`;

ruleTable(appGatewayConnectionDrainingWeakened, {
  path: "lb.tf",
  cases: [
    {
      name: "turned off",
      before: gateway(draining(true, 300)),
      after: gateway(draining(false, 300)),
      expect: [{ severity: "high", line: "enabled           = false", phrase: "cut at once" }],
    },
    {
      name: "the block removed",
      before: gateway(draining(true, 60)),
      after: gateway(""),
      expect: [
        {
          severity: "high",
          line: "backend_http_settings {",
          phrase: "it allowed 60 s",
        },
      ],
    },
    {
      name: "300 s → 100 s: a large cut, under 5×",
      before: gateway(draining(true, 300)),
      after: gateway(draining(true, 100)),
      expect: [
        { severity: "medium", line: "drain_timeout_sec = 100", phrase: "from 5 min to 100 s" },
      ],
    },
    {
      name: "300 s → 60 s: cut by 5× is high (docs/risk.md)",
      before: gateway(draining(true, 300)),
      after: gateway(draining(true, 60)),
      expect: [{ severity: "high", line: "drain_timeout_sec = 60", phrase: "from 5 min to 60 s" }],
    },
    {
      name: "above 3600 s",
      before: gateway(draining(true, 300)),
      after: gateway(draining(true, 4000)),
      expect: [
        {
          severity: "medium",
          line: "drain_timeout_sec = 4000",
          phrase: "the deploy will fail",
        },
      ],
    },
    {
      name: "a raise",
      before: gateway(draining(true, 60)),
      after: gateway(draining(true, 120)),
      expect: [],
    },
  ],
});
