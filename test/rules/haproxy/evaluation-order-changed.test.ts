import evaluationOrderChanged from "../../../src/rules/haproxy/evaluation-order-changed.js";
import { ruleTable } from "../rule-table.js";
import { DEFAULTS, HAPROXY_PATH, servers, THREE } from "./builders.js";

/** A frontend with two ACLs and the given rule lines, in front of backend app (whose lines follow). */
const proxy = (rules: string, backend = THREE): string => `${DEFAULTS}
frontend www
  bind :80
  acl admin path_beg /admin
  acl office src 10.0.0.0/8
${rules}  default_backend app

backend app
${backend}`;

const lines = servers;

ruleTable(evaluationOrderChanged, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "a deny moved ahead of the allow that let the office in: high",
      before: proxy(lines("http-request allow if admin office", "http-request deny if admin")),
      after: proxy(lines("http-request deny if admin", "http-request allow if admin office")),
      expect: [
        {
          severity: "high",
          line: "http-request deny if admin",
          phrase:
            /frontend www: http-request "deny if admin" \(line 11\) now comes before "allow if admin office"/,
        },
      ],
    },
    {
      name: "use_backend lines swapped: the first match assigns the backend",
      before: proxy(
        lines("use_backend v2 if { path_beg /api/v2 }", "use_backend api if { path_beg /api }"),
      ),
      after: proxy(
        lines("use_backend api if { path_beg /api }", "use_backend v2 if { path_beg /api/v2 }"),
      ),
      expect: [
        { severity: "high", line: "use_backend api", phrase: "the first matching rule decides" },
      ],
    },
    {
      name: "http-check steps reordered: the check now expects before it sends",
      before: proxy(
        "",
        `${lines("option httpchk", "http-check send meth GET uri /health", "http-check expect status 200")}${THREE}`,
      ),
      after: proxy(
        "",
        `${lines("option httpchk", "http-check expect status 200", "http-check send meth GET uri /health")}${THREE}`,
      ),
      expect: [{ severity: "high", line: "http-check expect", phrase: "backend app: http-check" }],
    },
    {
      name: "HAProxy 1.x: a reqideny moved ahead of the reqirep that rewrote the header it checks",
      before: proxy(
        lines(
          "reqirep ^Host:\\ old\\.example Host:\\ new.example",
          "reqideny ^Host:\\ new\\.example",
        ),
      ),
      after: proxy(
        lines(
          "reqideny ^Host:\\ new\\.example",
          "reqirep ^Host:\\ old\\.example Host:\\ new.example",
        ),
      ),
      expect: [
        { severity: "high", line: "reqideny", phrase: /frontend www: header filter "reqideny/ },
      ],
    },
    {
      name: "tcp-request lines of different rule sets swapped: each set keeps its order",
      before: proxy(
        lines(
          "tcp-request connection reject if { src 192.0.2.1 }",
          "tcp-request inspect-delay 5s",
          "tcp-request content accept if { req_ssl_hello_type 1 }",
        ),
      ),
      after: proxy(
        lines(
          "tcp-request inspect-delay 5s",
          "tcp-request content accept if { req_ssl_hello_type 1 }",
          "tcp-request connection reject if { src 192.0.2.1 }",
        ),
      ),
      expect: [],
    },
    {
      name: "servers and acl lines reordered: not evaluated in order",
      before: proxy(
        lines("http-request deny if admin"),
        servers("server web2 10.0.0.2:80 check", "server web1 10.0.0.1:80 check"),
      ),
      after: proxy(
        lines("http-request deny if admin"),
        servers("server web1 10.0.0.1:80 check", "server web2 10.0.0.2:80 check"),
      ).replace(
        "  acl admin path_beg /admin\n  acl office src 10.0.0.0/8\n",
        "  acl office src 10.0.0.0/8\n  acl admin path_beg /admin\n",
      ),
      expect: [],
    },
    {
      name: "a new rule placed first is an addition, not a reorder",
      before: proxy(lines("http-request deny if admin")),
      after: proxy(lines("http-request allow if office", "http-request deny if admin")),
      expect: [],
    },
  ],
});
