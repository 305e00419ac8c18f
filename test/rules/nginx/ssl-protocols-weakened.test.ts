import sslProtocolsWeakened from "../../../src/rules/nginx/ssl-protocols-weakened.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH, THREE, lines, site } from "./builders.js";

ruleTable(sslProtocolsWeakened, {
  path: NGINX_PATH,
  cases: [
    {
      name: "TLSv1 and TLSv1.1 added",
      before: site(THREE, "", lines("ssl_protocols TLSv1.2 TLSv1.3")),
      after: site(THREE, "", lines("ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3")),
      expect: [{ severity: "high", line: 9, phrase: "now allows TLSv1, TLSv1.1" }],
    },
    {
      name: "an explicit modern list removed falls back to an old default on old nginx: medium",
      before: site(THREE, "", lines("ssl_protocols TLSv1.2 TLSv1.3")),
      after: site(THREE),
      expect: [
        { severity: "medium", line: 9, phrase: "older versions also enable TLSv1 and TLSv1.1" },
      ],
    },
    {
      name: "a second server block added leaves the first one's own settings alone",
      before:
        "http {\n  server {\n    listen 443 ssl;\n    server_name a.example;\n    ssl_protocols TLSv1 TLSv1.2;\n  }\n}\n",
      after:
        "http {\n  server {\n    listen 443 ssl;\n    server_name b.example;\n  }\n  server {\n    listen 443 ssl;\n    server_name a.example;\n    ssl_protocols TLSv1 TLSv1.2;\n  }\n}\n",
      expect: [],
    },
    {
      name: "a new server block repeating the protocols it inherited is no change",
      before: "http {\n  ssl_protocols TLSv1 TLSv1.2;\n}\n",
      after:
        "http {\n  ssl_protocols TLSv1 TLSv1.2;\n  server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.2;\n  }\n}\n",
      expect: [],
    },
    {
      name: "dropping TLSv1.1 does not fire",
      before: site(THREE, "", lines("ssl_protocols TLSv1.1 TLSv1.2")),
      after: site(THREE, "", lines("ssl_protocols TLSv1.2")),
      expect: [],
    },
  ],
});
