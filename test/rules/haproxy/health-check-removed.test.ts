import healthCheckRemoved from "../../../src/rules/haproxy/health-check-removed.js";
import { ruleTable } from "../rule-table.js";
import { HAPROXY_PATH, THREE, config, servers } from "./builders.js";

ruleTable(healthCheckRemoved, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "check removed from a server is high",
      before: config(THREE),
      after: config(
        servers(
          "server web1 10.0.0.1:80",
          "server web2 10.0.0.2:80 check",
          "server web3 10.0.0.3:80 check",
        ),
      ),
      expect: [{ severity: "high", line: 12, phrase: "no longer health-checks 1 server (web1)" }],
    },
    {
      name: "check moved from the server lines to default-server is no change",
      before: config(THREE),
      after: config(
        servers(
          "default-server check",
          "server web1 10.0.0.1:80",
          "server web2 10.0.0.2:80",
          "server web3 10.0.0.3:80",
        ),
      ),
      expect: [],
    },
  ],
});
