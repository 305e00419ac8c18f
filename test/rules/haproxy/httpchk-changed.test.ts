import httpchkChanged from "../../../src/rules/haproxy/httpchk-changed.js";
import { ruleTable } from "../rule-table.js";
import { HAPROXY_PATH, THREE, config, servers } from "./builders.js";

ruleTable(httpchkChanged, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "the check URI changes on a checked farm: high",
      before: config(servers("option httpchk GET /health") + THREE),
      after: config(servers("option httpchk GET /healthz") + THREE),
      expect: [{ severity: "high", line: 12, phrase: "check request GET /health → GET /healthz" }],
    },
    {
      name: "a stricter expectation is high",
      before: config(servers("option httpchk GET /health") + THREE),
      after: config(servers("option httpchk GET /health", "http-check expect status 200") + THREE),
      expect: [{ severity: "high", line: 12, phrase: "http-check added: expect status 200" }],
    },
    {
      name: "turning HTTP checks off is medium",
      before: config(servers("option httpchk GET /health") + THREE),
      after: config(THREE),
      expect: [{ severity: "medium", line: 12, phrase: "fall back to a TCP connect" }],
    },
    {
      name: "no checked server: the option is inert",
      before: config(servers("option httpchk GET /health", "server web1 10.0.0.1:80")),
      after: config(servers("option httpchk GET /ready", "server web1 10.0.0.1:80")),
      expect: [],
    },
  ],
});
