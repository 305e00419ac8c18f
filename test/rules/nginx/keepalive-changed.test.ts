import keepaliveChanged from "../../../src/rules/nginx/keepalive-changed.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH, THREE, lines, site } from "./builders.js";

ruleTable(keepaliveChanged, {
  path: NGINX_PATH,
  cases: [
    {
      name: "keepalive removed (before-side line)",
      before: site(THREE + "\n" + lines("keepalive 32")),
      after: site(THREE),
      expect: [
        {
          severity: "medium",
          line: 6,
          phrase: "no longer caches idle connections (was keepalive 32)",
        },
      ],
    },
    {
      name: "keepalive raised does not fire",
      before: site(THREE + "\n" + lines("keepalive 16")),
      after: site(THREE + "\n" + lines("keepalive 64")),
      expect: [],
    },
  ],
});
