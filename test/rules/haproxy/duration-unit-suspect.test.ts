import durationUnitSuspect from "../../../src/rules/haproxy/duration-unit-suspect.js";
import { ruleTable } from "../rule-table.js";
import { DEFAULTS, HAPROXY_PATH, THREE, config, servers } from "./builders.js";

ruleTable(durationUnitSuspect, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "timeout server 30 is 30 ms: high",
      before: config(THREE),
      after: config(THREE, DEFAULTS.replace("timeout server 30s", "timeout server 30")),
      expect: [{ severity: "high", line: 5, phrase: "reads as 30 ms, not 30 s" }],
    },
    {
      name: "inter 5 on a server is medium",
      before: config(THREE),
      after: config(
        servers(
          "server web1 10.0.0.1:80 check inter 5",
          "server web2 10.0.0.2:80 check",
          "server web3 10.0.0.3:80 check",
        ),
      ),
      expect: [
        { severity: "medium", line: 12, phrase: "inter of server web1 of backend app is 5" },
      ],
    },
    {
      name: "bare milliseconds at a realistic size do not fire",
      before: config(THREE),
      after: config(THREE, DEFAULTS.replace("timeout server 30s", "timeout server 30000")),
      expect: [],
    },
  ],
});
