import maxConnsCut from "../../../src/rules/nginx/max-conns-cut.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH, lines, site } from "./builders.js";

ruleTable(maxConnsCut, {
  path: NGINX_PATH,
  cases: [
    {
      name: "max_conns cut by more than half is high",
      before: site(lines("server 10.0.0.1:80 max_conns=400", "server 10.0.0.2:80 max_conns=400")),
      after: site(lines("server 10.0.0.1:80 max_conns=100", "server 10.0.0.2:80 max_conns=100")),
      expect: [{ severity: "high", line: 3, phrase: "from 400 to 100 per worker process" }],
    },
    {
      name: "a first limit is medium",
      before: site(lines("zone app 64k", "server 10.0.0.1:80")),
      after: site(lines("zone app 64k", "server 10.0.0.1:80 max_conns=50")),
      expect: [
        { severity: "medium", line: 4, phrase: "to 50 connections where they had no limit" },
      ],
    },
    {
      name: "a small cut does not fire",
      before: site(lines("server 10.0.0.1:80 max_conns=400")),
      after: site(lines("server 10.0.0.1:80 max_conns=300")),
      expect: [],
    },
  ],
});
