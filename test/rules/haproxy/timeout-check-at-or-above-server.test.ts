import timeoutCheckAtOrAboveServer from "../../../src/rules/haproxy/timeout-check-at-or-above-server.js";
import { ruleTable } from "../rule-table.js";
import { HAPROXY_PATH, THREE, config, servers } from "./builders.js";

ruleTable(timeoutCheckAtOrAboveServer, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "timeout check raised to the server timeout",
      before: config(servers("timeout check 2s") + THREE),
      after: config(servers("timeout check 30s") + THREE),
      expect: [
        { severity: "low", line: 12, phrase: "waits 30 s for a health check but only 30 s" },
      ],
    },
    {
      name: "a check timeout below the server timeout does not fire",
      before: config(servers("timeout check 2s") + THREE),
      after: config(servers("timeout check 10s") + THREE),
      expect: [],
    },
  ],
});
