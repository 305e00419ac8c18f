import evaluationOrderChanged from "../../../src/rules/nginx/evaluation-order-changed.js";
import { ruleTable } from "../rule-table.js";
import { NGINX_PATH } from "./builders.js";

/** A server whose body is the given lines, each at the server's indentation. */
const server = (...body: string[]): string =>
  `http {\n    server {\n        listen 443 ssl;\n${body.map((line) => `        ${line}\n`).join("")}    }\n}\n`;

const PHP = "location ~ \\.php$ { proxy_pass http://php; }";
const ADMIN = "location ~* ^/admin { deny all; }";

ruleTable(evaluationOrderChanged, {
  path: NGINX_PATH,
  cases: [
    {
      name: "a regex location moved ahead of another: /admin/x.php is now denied instead of run",
      before: server("location / { root /srv; }", PHP, ADMIN),
      after: server("location / { root /srv; }", ADMIN, PHP),
      expect: [
        {
          severity: "high",
          line: "location ~* ^/admin",
          phrase: /regex location "~\* \^\/admin" \(line 5\) now comes before "~ \\\.php\$"/,
        },
      ],
    },
    {
      name: "rewrite lines swapped",
      before: server(
        "rewrite ^/shop/(.*)$ /store/$1 last;",
        "rewrite ^/(.*)$ /index.php?q=$1 last;",
      ),
      after: server(
        "rewrite ^/(.*)$ /index.php?q=$1 last;",
        "rewrite ^/shop/(.*)$ /store/$1 last;",
      ),
      expect: [
        {
          severity: "high",
          line: "rewrite ^/(.*)$",
          phrase:
            /In http\.server, "rewrite \^\/\(\.\*\)\$ \/index\.php\?q=\$1 last" \(line 4\) now comes before/,
        },
      ],
    },
    {
      name: "a redirect moved ahead of the if that blocked bad clients: the if never runs",
      before: server("if ($blocked) { return 403; }", "return 301 https://$host$request_uri;"),
      after: server("return 301 https://$host$request_uri;", "if ($blocked) { return 403; }"),
      expect: [
        {
          severity: "high",
          line: "return 301",
          phrase:
            /"return 301 https:\/\/\$host\$request_uri" \(line 4\) now comes before "if \(\$blocked\)"/,
        },
      ],
    },
    {
      name: "root and proxy settings moved around the rewrites: not part of the sequence",
      before: server(
        "root /srv;",
        "rewrite ^/a /b last;",
        "index index.html;",
        "rewrite ^/c /d last;",
      ),
      after: server(
        "rewrite ^/a /b last;",
        "index index.html;",
        "rewrite ^/c /d last;",
        "root /srv;",
      ),
      expect: [],
    },
    {
      name: "prefix locations reordered: nginx picks the longest, whatever the order",
      before: server("location /api/ { proxy_pass http://api; }", "location / { root /srv; }", PHP),
      after: server("location / { root /srv; }", "location /api/ { proxy_pass http://api; }", PHP),
      expect: [],
    },
    {
      name: "a new regex location placed first is an addition, not a reorder",
      before: server(PHP),
      after: server(ADMIN, PHP),
      expect: [],
    },
  ],
});
