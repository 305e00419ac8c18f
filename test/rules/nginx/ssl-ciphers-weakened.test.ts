import sslCiphersWeakened from "../../../src/rules/nginx/ssl-ciphers-weakened.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH, THREE, lines, site } from "./builders.js";

ruleTable(sslCiphersWeakened, {
  path: NGINX_PATH,
  cases: [
    {
      name: "dropping !aNULL from HIGH enables anonymous suites",
      before: site(THREE, "", lines("ssl_ciphers HIGH:!aNULL:!MD5")),
      after: site(THREE, "", lines("ssl_ciphers HIGH:!MD5")),
      expect: [{ severity: "high", line: 9, phrase: "no longer excludes !aNULL" }],
    },
    {
      name: "dropping !MD5 from HIGH does not fire: HIGH holds no MD5 suite",
      before: site(THREE, "", lines("ssl_ciphers HIGH:!aNULL:!MD5")),
      after: site(THREE, "", lines("ssl_ciphers HIGH:!aNULL")),
      expect: [],
    },
    {
      name: "adding 3DES",
      before: site(THREE, "", lines("ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256")),
      after: site(THREE, "", lines("ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA")),
      expect: [{ severity: "high", line: 9, phrase: "adds DES-CBC3-SHA" }],
    },
    {
      name: "an explicit list of strong suites without the exclusions does not fire",
      before: site(THREE, "", lines("ssl_ciphers HIGH:!aNULL:!MD5")),
      after: site(
        THREE,
        "",
        lines("ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"),
      ),
      expect: [],
    },
  ],
});
