import serverRemoved from "../../../src/rules/haproxy/server-removed.js";
import { ruleTable } from "../rule-table.js";
import { HAPROXY_PATH, THREE, config, servers } from "./builders.js";

ruleTable(serverRemoved, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "a third of the servers removed is high (before-side line)",
      before: config(THREE),
      after: config(servers("server web1 10.0.0.1:80 check", "server web2 10.0.0.2:80 check")),
      expect: [
        {
          severity: "high",
          line: 14,
          // 33% of the capacity lost is 50% more for each of the two left (3 / 2 = 1.5).
          phrase:
            /loses 1 of its 3 active servers \(web3\), 33%.*Safe: keep web3 until the 2 remaining servers can carry 50% more load/,
        },
      ],
    },
    {
      name: "one of four is medium",
      before: config(THREE + servers("server web4 10.0.0.4:80 check")),
      after: config(THREE),
      expect: [{ severity: "medium", line: 15, phrase: "loses 1 of its 4 active servers" }],
    },
    {
      name: "a server renamed at the same address is not a removal",
      before: config(THREE),
      after: config(
        servers(
          "server web1 10.0.0.1:80 check",
          "server web2 10.0.0.2:80 check",
          "server app3 10.0.0.3:80 check",
        ),
      ),
      expect: [],
    },
    {
      name: "a server replaced by a new one keeps the capacity",
      before: config(THREE),
      after: config(
        servers(
          "server web1 10.0.0.1:80 check",
          "server web2 10.0.0.2:80 check",
          "server web4 10.0.0.4:80 check",
        ),
      ),
      expect: [],
    },
    {
      name: "the last backup removed is medium",
      before: config(THREE + servers("server spare 10.0.0.9:80 check backup")),
      after: config(THREE),
      expect: [{ severity: "medium", line: 15, phrase: "loses its last backup server" }],
    },
  ],
});
