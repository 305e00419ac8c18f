import onMarkedDownShutdownSessions from "../../../src/rules/haproxy/on-marked-down-shutdown-sessions.js";
import { ruleTable } from "../rule-table.js";
import { HAPROXY_PATH, THREE, config, servers } from "./builders.js";

ruleTable(onMarkedDownShutdownSessions, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "turned on through default-server",
      before: config(THREE),
      after: config(servers("default-server on-marked-down shutdown-sessions") + THREE),
      expect: [{ severity: "medium", line: 12, phrase: "kills the open connections of 3 servers" }],
    },
    {
      name: "mark-down without shutdown does not fire",
      before: config(THREE),
      after: config(servers("default-server on-marked-up shutdown-backup-sessions") + THREE),
      expect: [],
    },
  ],
});
