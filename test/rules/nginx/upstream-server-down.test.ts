import upstreamServerDown from "../../../src/rules/nginx/upstream-server-down.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH, THREE, lines, site } from "./builders.js";

ruleTable(upstreamServerDown, {
  path: NGINX_PATH,
  cases: [
    {
      name: "one of three marked down is high",
      before: site(THREE),
      after: site(lines("server 10.0.0.1:80", "server 10.0.0.2:80", "server 10.0.0.3:80 down")),
      expect: [
        {
          severity: "high",
          line: 5,
          phrase: "takes 1 server of 3 out of rotation (10.0.0.3:80 down)",
        },
      ],
    },
    {
      name: "backup under ip_hash fails the reload",
      before: site(lines("ip_hash", "server 10.0.0.1:80", "server 10.0.0.2:80")),
      after: site(lines("ip_hash", "server 10.0.0.1:80", "server 10.0.0.2:80 backup")),
      expect: [
        { severity: "medium", line: 5, phrase: "which nginx rejects: the reload will fail" },
      ],
    },
    {
      name: "a weight change does not fire",
      before: site(THREE),
      after: site(lines("server 10.0.0.1:80 weight=3", "server 10.0.0.2:80", "server 10.0.0.3:80")),
      expect: [],
    },
  ],
});
