import { NGINX_RULES } from "../../src/rules/nginx/index.js";
import { describeFamily, type ExpectedCase } from "./table.js";

/** An http block with one upstream `app` (its lines in `upstream`) and one proxying location (`location`). */
const site = (upstream: string, location = "", server = ""): string => `http {
    upstream app {
${upstream}
    }
    server {
        listen 443 ssl;
${server}
        location / {
            proxy_pass http://app;
${location}
        }
    }
}
`;

const lines = (...directives: string[]): string =>
  directives.map((directive) => `        ${directive};`).join("\n");

const THREE = lines("server 10.0.0.1:80", "server 10.0.0.2:80", "server 10.0.0.3:80");

const CASES: Readonly<Record<string, readonly ExpectedCase[]>> = {
  "nginx.include.unseen": [
    {
      name: "an include added to a location is medium",
      before: site(THREE),
      after: site(THREE, "            include snippets/proxy.conf;"),
      expected: [
        { severity: "medium", line: 12, phrase: "include snippets/proxy.conf is new here" },
      ],
    },
    {
      name: "an unchanged include next to an unrelated change does not fire",
      before: site(THREE, "            include snippets/proxy.conf;"),
      after: site(
        lines("server 10.0.0.1:80", "server 10.0.0.2:80", "server 10.0.0.3:80", "keepalive 8"),
        "            include snippets/proxy.conf;",
      ),
      expected: [],
    },
  ],
  "nginx.upstream.server-removed": [
    {
      name: "one of three servers removed is high (before-side line)",
      before: site(THREE),
      after: site(lines("server 10.0.0.1:80", "server 10.0.0.2:80")),
      expected: [
        { severity: "high", line: 5, phrase: "loses 1 of its 3 active servers (10.0.0.3:80), 33%" },
      ],
    },
    {
      name: "a replacement under ip_hash remaps clients: medium",
      before: site(lines("ip_hash", "server 10.0.0.1:80", "server 10.0.0.2:80")),
      after: site(lines("ip_hash", "server 10.0.0.1:80", "server 10.0.0.9:80")),
      expected: [{ severity: "medium", line: 5, phrase: "under ip_hash this remaps most clients" }],
    },
    {
      name: "a replacement under round robin does not fire",
      before: site(lines("server 10.0.0.1:80", "server 10.0.0.2:80")),
      after: site(lines("server 10.0.0.1:80", "server 10.0.0.9:80")),
      expected: [],
    },
    {
      name: "servers moved to an NGINX Plus state file do not fire",
      before: site(lines("zone app 64k", "server 10.0.0.1:80", "server 10.0.0.2:80")),
      after: site(lines("zone app 64k", "state /var/lib/nginx/state/app.conf")),
      expected: [],
    },
  ],
  "nginx.upstream.server-down": [
    {
      name: "one of three marked down is high",
      before: site(THREE),
      after: site(lines("server 10.0.0.1:80", "server 10.0.0.2:80", "server 10.0.0.3:80 down")),
      expected: [
        {
          severity: "high",
          line: 5,
          phrase: "takes 1 server of 3 out of rotation (10.0.0.3:80 down)",
        },
      ],
    },
    {
      name: "backup under ip_hash fails the reload",
      before: site(lines("ip_hash", "server 10.0.0.1:80", "server 10.0.0.2:80")),
      after: site(lines("ip_hash", "server 10.0.0.1:80", "server 10.0.0.2:80 backup")),
      expected: [
        { severity: "medium", line: 5, phrase: "which nginx rejects: the reload will fail" },
      ],
    },
    {
      name: "a weight change does not fire",
      before: site(THREE),
      after: site(lines("server 10.0.0.1:80 weight=3", "server 10.0.0.2:80", "server 10.0.0.3:80")),
      expected: [],
    },
  ],
  "nginx.max-conns.cut": [
    {
      name: "max_conns cut by more than half is high",
      before: site(lines("server 10.0.0.1:80 max_conns=400", "server 10.0.0.2:80 max_conns=400")),
      after: site(lines("server 10.0.0.1:80 max_conns=100", "server 10.0.0.2:80 max_conns=100")),
      expected: [{ severity: "high", line: 3, phrase: "from 400 to 100 per worker process" }],
    },
    {
      name: "a first limit is medium",
      before: site(lines("zone app 64k", "server 10.0.0.1:80")),
      after: site(lines("zone app 64k", "server 10.0.0.1:80 max_conns=50")),
      expected: [
        { severity: "medium", line: 4, phrase: "to 50 connections where they had no limit" },
      ],
    },
    {
      name: "a small cut does not fire",
      before: site(lines("server 10.0.0.1:80 max_conns=400")),
      after: site(lines("server 10.0.0.1:80 max_conns=300")),
      expected: [],
    },
  ],
  "nginx.keepalive.changed": [
    {
      name: "keepalive removed (before-side line)",
      before: site(THREE + "\n" + lines("keepalive 32")),
      after: site(THREE),
      expected: [
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
      expected: [],
    },
  ],
  "nginx.proxy-timeout.cut": [
    {
      name: "proxy_read_timeout cut from the 60 s default to 5 s",
      before: site(THREE),
      after: site(THREE, lines("    proxy_read_timeout 5s")),
      expected: [
        { severity: "medium", line: 12, phrase: "cut from 60 s to 5 s: a response that pauses" },
      ],
    },
    {
      name: "an inherited timeout counts: server-level 120 s → location 30 s",
      before: site(THREE, "", lines("proxy_read_timeout 120s")),
      after: site(THREE, lines("    proxy_read_timeout 30s"), lines("proxy_read_timeout 120s")),
      expected: [{ severity: "medium", line: 12, phrase: "cut from 2 min to 30 s" }],
    },
    {
      name: "proxy_connect_timeout above 75 s has no effect",
      before: site(THREE),
      after: site(THREE, lines("    proxy_connect_timeout 120s")),
      expected: [{ severity: "low", line: 12, phrase: "cannot usually exceed 75 s" }],
    },
    {
      name: "a timeout in a new file has nothing to be cut from",
      before: null,
      after: site(THREE, lines("    proxy_read_timeout 5s")),
      expected: [],
    },
  ],
  "nginx.next-upstream.risky": [
    {
      name: "non_idempotent added is high",
      before: site(THREE),
      after: site(THREE, lines("    proxy_next_upstream error timeout non_idempotent")),
      expected: [
        { severity: "high", line: 12, phrase: "non_idempotent retries POST, PATCH and LOCK" },
      ],
    },
    {
      name: "retries on 502 with unlimited tries are medium",
      before: site(THREE),
      after: site(THREE, lines("    proxy_next_upstream error timeout http_502")),
      expected: [{ severity: "medium", line: 12, phrase: "retries on http_502 with no limit" }],
    },
    {
      name: "retries bounded by tries are low",
      before: site(THREE),
      after: site(
        THREE,
        lines("    proxy_next_upstream error timeout http_502", "    proxy_next_upstream_tries 2"),
      ),
      expected: [{ severity: "low", line: 12, phrase: "(up to 2 tries)" }],
    },
    {
      name: "fewer retry conditions do not fire",
      before: site(THREE, lines("    proxy_next_upstream error timeout http_502")),
      after: site(THREE, lines("    proxy_next_upstream error")),
      expected: [],
    },
  ],
  "nginx.ssl-protocols.weakened": [
    {
      name: "TLSv1 and TLSv1.1 added",
      before: site(THREE, "", lines("ssl_protocols TLSv1.2 TLSv1.3")),
      after: site(THREE, "", lines("ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3")),
      expected: [{ severity: "high", line: 9, phrase: "now allows TLSv1, TLSv1.1" }],
    },
    {
      name: "an explicit modern list removed falls back to an old default on old nginx: medium",
      before: site(THREE, "", lines("ssl_protocols TLSv1.2 TLSv1.3")),
      after: site(THREE),
      expected: [
        { severity: "medium", line: 9, phrase: "TLSv1 TLSv1.1 TLSv1.2 on older versions" },
      ],
    },
    {
      name: "a second server block added leaves the first one's own settings alone",
      before:
        "http {\n  server {\n    listen 443 ssl;\n    server_name a.example;\n    ssl_protocols TLSv1 TLSv1.2;\n  }\n}\n",
      after:
        "http {\n  server {\n    listen 443 ssl;\n    server_name b.example;\n  }\n  server {\n    listen 443 ssl;\n    server_name a.example;\n    ssl_protocols TLSv1 TLSv1.2;\n  }\n}\n",
      expected: [],
    },
    {
      name: "a new server block repeating the protocols it inherited is no change",
      before: "http {\n  ssl_protocols TLSv1 TLSv1.2;\n}\n",
      after:
        "http {\n  ssl_protocols TLSv1 TLSv1.2;\n  server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.2;\n  }\n}\n",
      expected: [],
    },
    {
      name: "dropping TLSv1.1 does not fire",
      before: site(THREE, "", lines("ssl_protocols TLSv1.1 TLSv1.2")),
      after: site(THREE, "", lines("ssl_protocols TLSv1.2")),
      expected: [],
    },
  ],
  "nginx.ssl-ciphers.weakened": [
    {
      name: "dropping !aNULL from HIGH enables anonymous suites",
      before: site(THREE, "", lines("ssl_ciphers HIGH:!aNULL:!MD5")),
      after: site(THREE, "", lines("ssl_ciphers HIGH:!MD5")),
      expected: [{ severity: "high", line: 9, phrase: "no longer excludes !aNULL" }],
    },
    {
      name: "dropping !MD5 from HIGH does not fire: HIGH holds no MD5 suite",
      before: site(THREE, "", lines("ssl_ciphers HIGH:!aNULL:!MD5")),
      after: site(THREE, "", lines("ssl_ciphers HIGH:!aNULL")),
      expected: [],
    },
    {
      name: "adding 3DES",
      before: site(THREE, "", lines("ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256")),
      after: site(THREE, "", lines("ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA")),
      expected: [{ severity: "high", line: 9, phrase: "adds DES-CBC3-SHA" }],
    },
    {
      name: "an explicit list of strong suites without the exclusions does not fire",
      before: site(THREE, "", lines("ssl_ciphers HIGH:!aNULL:!MD5")),
      after: site(
        THREE,
        "",
        lines("ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"),
      ),
      expected: [],
    },
  ],
  "nginx.duration.unit-suspect": [
    {
      name: "fail_timeout=5000 is 83 min out of rotation: high",
      before: site(THREE),
      after: site(
        lines("server 10.0.0.1:80 fail_timeout=5000", "server 10.0.0.2:80", "server 10.0.0.3:80"),
      ),
      expected: [{ severity: "high", line: 3, phrase: "reads as 1.4 h" }],
    },
    {
      name: "proxy_read_timeout 30000 is medium",
      before: site(THREE),
      after: site(THREE, lines("    proxy_read_timeout 30000")),
      expected: [{ severity: "medium", line: 12, phrase: "reads as 500 min, not 30000 ms" }],
    },
    {
      name: "a long WebSocket timeout in seconds does not fire",
      before: site(THREE),
      after: site(THREE, lines("    proxy_read_timeout 3600")),
      expected: [],
    },
  ],
};

describeFamily({
  family: "nginx",
  rules: NGINX_RULES,
  minRules: 5,
  path: "nginx.conf",
  cases: CASES,
});
