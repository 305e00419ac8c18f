import endpointRemoved from "../../../src/rules/envoy/endpoint-removed.js";
import { ruleTable } from "../rule-table.js";
import { ENVOY_PATH, bootstrap } from "./builders.js";

ruleTable(endpointRemoved, {
  path: ENVOY_PATH,
  cases: [
    {
      name: "one of three endpoints removed is high (before-side line)",
      before: bootstrap(""),
      after: bootstrap("", "", ["10.0.0.1", "10.0.0.2"]),
      expect: [
        {
          severity: "high",
          line: 36,
          phrase: "loses 1 of its 3 active endpoints (10.0.0.3:8080), 33%",
        },
      ],
    },
    {
      name: "one of four is medium",
      before: bootstrap("", "", ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]),
      after: bootstrap("", "", ["10.0.0.1", "10.0.0.2", "10.0.0.3"]),
      expect: [{ severity: "medium", line: 39, phrase: "loses 1 of its 4 active endpoints" }],
    },
    {
      name: "an endpoint replaced by another does not fire",
      before: bootstrap(""),
      after: bootstrap("", "", ["10.0.0.1", "10.0.0.2", "10.0.0.9"]),
      expect: [],
    },
  ],
});
