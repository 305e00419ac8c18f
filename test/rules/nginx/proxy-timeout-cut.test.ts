import proxyTimeoutCut from "../../../src/rules/nginx/proxy-timeout-cut.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH, THREE, lines, site } from "./builders.js";

ruleTable(proxyTimeoutCut, {
  path: NGINX_PATH,
  cases: [
    {
      name: "proxy_read_timeout cut from the 60 s default to 5 s: 12×, sharply (docs/risk.md), high",
      before: site(THREE),
      after: site(THREE, lines("    proxy_read_timeout 5s")),
      expect: [
        {
          severity: "high",
          line: 12,
          phrase:
            /cut from 60 s to 5 s: a response that pauses.*Safe: keep `proxy_read_timeout 1m;`/,
        },
      ],
    },
    {
      name: "proxy_read_timeout cut from the 60 s default to 20 s: 3×, medium",
      before: site(THREE),
      after: site(THREE, lines("    proxy_read_timeout 20s")),
      expect: [{ severity: "medium", line: 12, phrase: "cut from 60 s to 20 s" }],
    },
    {
      name: "an inherited timeout counts: server-level 120 s → location 30 s",
      before: site(THREE, "", lines("proxy_read_timeout 120s")),
      after: site(THREE, lines("    proxy_read_timeout 30s"), lines("proxy_read_timeout 120s")),
      expect: [{ severity: "medium", line: 12, phrase: "cut from 2 min to 30 s" }],
    },
    {
      name: "proxy_connect_timeout above 75 s has no effect",
      before: site(THREE),
      after: site(THREE, lines("    proxy_connect_timeout 120s")),
      expect: [{ severity: "low", line: 12, phrase: "cannot usually exceed 75 s" }],
    },
    {
      name: "a timeout in a new file has nothing to be cut from",
      before: null,
      after: site(THREE, lines("    proxy_read_timeout 5s")),
      expect: [],
    },
  ],
});
