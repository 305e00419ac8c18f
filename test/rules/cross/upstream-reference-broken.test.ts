import rule from "../../../src/rules/cross/upstream-reference-broken.js";
import { ruleTable } from "../rule-table.js";

const upstreams = (...names: string[]): string =>
  names.map((name) => `upstream ${name} {\n    server 10.0.0.1:8080;\n}\n`).join("");
const site = (...passes: string[]): string =>
  [
    "server {",
    "    listen 80;",
    ...passes.map(
      (name, index) => `    location /${index} {\n        proxy_pass http://${name};\n    }`,
    ),
    "}",
    "",
  ].join("\n");
const frontend = (backend: string): string =>
  [
    "frontend www",
    "    bind :80",
    `    use_backend ${backend} if { path_beg /api }`,
    "    default_backend web",
    "",
  ].join("\n");
const backends = (...names: string[]): string =>
  names.map((name) => `backend ${name}\n    server s1 10.0.0.1:8080 check\n`).join("");

ruleTable(rule, {
  path: "nginx/conf.d/upstreams.conf",
  cases: [
    {
      name: "upstream app renamed while site.conf in the same directory still proxies to it",
      before: upstreams("app"),
      after: upstreams("app_v2"),
      context: [{ path: "nginx/conf.d/site.conf", text: site("app") }],
      expect: [
        {
          severity: "high",
          line: "upstream app",
          side: "before",
          phrase:
            /proxy_pass http:\/\/app \(nginx\/conf.d\/site.conf line 4\) names upstream app.*Safe: keep `upstream app`/,
        },
      ],
    },
    {
      name: "the rename reaches every proxy_pass in the same change: judged, no finding",
      before: upstreams("app"),
      after: upstreams("app_v2"),
      alongside: [{ path: "nginx/conf.d/site.conf", before: site("app"), after: site("app_v2") }],
      expect: [],
    },
    {
      name: "a proxy_pass to a host name that was never an upstream: no finding",
      before: upstreams("app"),
      after: upstreams("app_v2"),
      context: [{ path: "nginx/conf.d/site.conf", text: site("backend.internal") }],
      expect: [],
    },
    {
      name: "the changed file is the user: a new location proxies to an upstream this change removes elsewhere",
      path: "nginx/conf.d/site.conf",
      before: site("app"),
      after: site("app", "legacy"),
      alongside: [
        {
          path: "nginx/conf.d/upstreams.conf",
          before: upstreams("app", "legacy"),
          after: upstreams("app"),
        },
      ],
      expect: [{ severity: "high", line: "proxy_pass http://legacy", phrase: "upstream legacy" }],
    },
    {
      name: "HAProxy: backend api removed while the frontend in another file still switches to it",
      path: "haproxy/backends.cfg",
      before: backends("web", "api"),
      after: backends("web"),
      context: [{ path: "haproxy/frontend.cfg", text: frontend("api") }],
      expect: [
        {
          severity: "high",
          line: "backend api",
          side: "before",
          phrase:
            /use_backend api \(haproxy\/frontend.cfg line 3\).*HAProxy refuses the configuration/,
        },
      ],
    },
    {
      name: "HAProxy: backend renamed and the frontend moved with it: no finding",
      path: "haproxy/backends.cfg",
      before: backends("web", "api"),
      after: backends("web", "api_v2"),
      alongside: [
        { path: "haproxy/frontend.cfg", before: frontend("api"), after: frontend("api_v2") },
      ],
      expect: [],
    },
  ],
});
