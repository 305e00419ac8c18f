import maxconnCut from "../../../src/rules/haproxy/maxconn-cut.js";
import { ruleTable } from "../rule-table.js";
import { HAPROXY_PATH, THREE, config, servers } from "./builders.js";

ruleTable(maxconnCut, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "server maxconn cut by more than half names the queue timeout",
      before: config(servers("timeout queue 10s", "server web1 10.0.0.1:80 check maxconn 200")),
      after: config(servers("timeout queue 10s", "server web1 10.0.0.1:80 check maxconn 50")),
      expect: [{ severity: "high", line: 13, phrase: "from 200 to 50 (−75%)" }],
    },
    {
      name: "a limit set where there was none is medium",
      before: config(servers("server web1 10.0.0.1:80 check")),
      after: config(servers("server web1 10.0.0.1:80 check maxconn 100")),
      expect: [{ severity: "medium", line: 12, phrase: "a 503 after 5 s in the queue" }],
    },
    {
      name: "global maxconn cut",
      before: `global\n  maxconn 50000\n${config(THREE)}`,
      after: `global\n  maxconn 2000\n${config(THREE)}`,
      expect: [{ severity: "high", line: 2, phrase: "global maxconn cut from 50000 to 2000" }],
    },
    {
      name: "a cut by less than half does not fire",
      before: config(servers("server web1 10.0.0.1:80 check maxconn 200")),
      after: config(servers("server web1 10.0.0.1:80 check maxconn 150")),
      expect: [],
    },
  ],
});
