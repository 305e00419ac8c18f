import upstreamServerRemoved from "../../../src/rules/nginx/upstream-server-removed.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH, THREE, lines, site } from "./builders.js";

ruleTable(upstreamServerRemoved, {
  path: NGINX_PATH,
  cases: [
    {
      name: "one of three servers removed is high (before-side line)",
      before: site(THREE),
      after: site(lines("server 10.0.0.1:80", "server 10.0.0.2:80")),
      expect: [
        { severity: "high", line: 5, phrase: "loses 1 of its 3 active servers (10.0.0.3:80), 33%" },
      ],
    },
    {
      name: "a replacement under ip_hash remaps clients: medium",
      before: site(lines("ip_hash", "server 10.0.0.1:80", "server 10.0.0.2:80")),
      after: site(lines("ip_hash", "server 10.0.0.1:80", "server 10.0.0.9:80")),
      expect: [{ severity: "medium", line: 5, phrase: "under ip_hash this remaps most clients" }],
    },
    {
      name: "a replacement under round robin does not fire",
      before: site(lines("server 10.0.0.1:80", "server 10.0.0.2:80")),
      after: site(lines("server 10.0.0.1:80", "server 10.0.0.9:80")),
      expect: [],
    },
    {
      name: "servers moved to an NGINX Plus state file do not fire",
      before: site(lines("zone app 64k", "server 10.0.0.1:80", "server 10.0.0.2:80")),
      after: site(lines("zone app 64k", "state /var/lib/nginx/state/app.conf")),
      expect: [],
    },
  ],
});
