import appGatewayProbeChanged from "../../../src/rules/azure/app-gateway-probe-changed.js";
import { ruleTable } from "../rule-table.js";
import { PROBE, gateway, gatewayProbe } from "./builders.js";

const matchCodes = (codes: string) => `    match {\n      status_code = [${codes}]\n    }`;

ruleTable(appGatewayProbeChanged, {
  path: "lb.tf",
  cases: [
    {
      name: "a new path",
      before: gateway(""),
      after: gateway("", gatewayProbe('    path                = "/ready"')),
      expect: [{ severity: "high", line: "/ready", phrase: 'path "/health" → "/ready"' }],
    },
    {
      name: "status codes narrowed from the default 200-399",
      before: gateway(""),
      after: gateway("", gatewayProbe('    path                = "/health"', matchCodes('"200"'))),
      expect: [{ severity: "high", line: "match {", phrase: "no longer accepts 201-399" }],
    },
    {
      name: "status codes widened to 404",
      before: gateway(
        "",
        gatewayProbe('    path                = "/health"', matchCodes('"200-399"')),
      ),
      after: gateway(
        "",
        gatewayProbe('    path                = "/health"', matchCodes('"200-399", "404"')),
      ),
      expect: [{ severity: "medium", line: "match {", phrase: "404 as healthy" }],
    },
    {
      name: "only the interval changes (the lb.health-check rules judge it)",
      before: gateway(""),
      after: gateway("", PROBE.replace("interval            = 30", "interval            = 60")),
      expect: [],
    },
  ],
});
