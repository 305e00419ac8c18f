import balanceChanged from "../../../src/rules/haproxy/balance-changed.js";
import { ruleTable } from "../rule-table.js";
import { HAPROXY_PATH, THREE, config, servers } from "./builders.js";

ruleTable(balanceChanged, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "roundrobin → first with no maxconn sends everything to one server: high",
      before: config(servers("balance roundrobin") + THREE),
      after: config(servers("balance first") + THREE),
      expect: [{ severity: "high", line: 12, phrase: "every request goes to the first server" }],
    },
    {
      name: "roundrobin → leastconn is low",
      before: config(servers("balance roundrobin") + THREE),
      after: config(servers("balance leastconn") + THREE),
      expect: [
        { severity: "low", line: 12, phrase: "balances with leastconn instead of roundrobin" },
      ],
    },
    {
      name: "moving to a hashing algorithm is an affinity change, left to lb.stickiness",
      before: config(servers("balance roundrobin") + THREE),
      after: config(servers("balance source") + THREE),
      expect: [],
    },
  ],
});
