import nextUpstreamRisky from "../../../src/rules/nginx/next-upstream-risky.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH, THREE, lines, site } from "./builders.js";

ruleTable(nextUpstreamRisky, {
  path: NGINX_PATH,
  cases: [
    {
      name: "non_idempotent added is high",
      before: site(THREE),
      after: site(THREE, lines("    proxy_next_upstream error timeout non_idempotent")),
      expect: [
        { severity: "high", line: 12, phrase: "non_idempotent retries POST, PATCH and LOCK" },
      ],
    },
    {
      name: "retries on 502 with unlimited tries are medium",
      before: site(THREE),
      after: site(THREE, lines("    proxy_next_upstream error timeout http_502")),
      expect: [{ severity: "medium", line: 12, phrase: "retries on http_502 with no limit" }],
    },
    {
      name: "retries bounded by tries are low",
      before: site(THREE),
      after: site(
        THREE,
        lines("    proxy_next_upstream error timeout http_502", "    proxy_next_upstream_tries 2"),
      ),
      expect: [{ severity: "low", line: 12, phrase: "(up to 2 tries)" }],
    },
    {
      name: "fewer retry conditions do not fire",
      before: site(THREE, lines("    proxy_next_upstream error timeout http_502")),
      after: site(THREE, lines("    proxy_next_upstream error")),
      expect: [],
    },
  ],
});
