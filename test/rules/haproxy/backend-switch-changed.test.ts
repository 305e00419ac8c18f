import backendSwitchChanged from "../../../src/rules/haproxy/backend-switch-changed.js";
import { ruleTable } from "../rule-table.js";
import { DEFAULTS, HAPROXY_PATH } from "./builders.js";

/** A frontend with the given switching lines, and backends app, api and v2. */
const cfg = (switching: string, backends = ["app", "api", "v2"]): string => `${DEFAULTS}
frontend www
  bind :80
  acl is_api path_beg /api
${switching}
${backends.map((name) => `backend ${name}\n  server ${name}1 10.0.0.1:80 check\n`).join("\n")}`;

/** An HAProxy controller TCP custom resource whose SNI rule sends to `backend`. */
const crd = (backend: string, port = 32766): string => `apiVersion: ingress.v3.haproxy.org/v3
kind: TCP
metadata:
  name: tcp-1
spec:
  - frontend:
      name: fe-echo
      backend_switching_rule_list:
        - cond: if
          cond_test: switch_be_0
          name: ${backend}
      binds:
        v4:
          address: 0.0.0.0
          port: ${port}
    name: tcp-test
`;

ruleTable(backendSwitchChanged, {
  path: HAPROXY_PATH,
  cases: [
    {
      name: "a use_backend pointed at another existing backend is high",
      before: cfg("  use_backend api if is_api\n  default_backend app"),
      after: cfg("  use_backend v2 if is_api\n  default_backend app"),
      expect: [
        {
          severity: "high",
          line: "use_backend v2",
          phrase: "traffic if is_api goes to v2 instead of api",
        },
      ],
    },
    {
      name: "a default_backend pointed at a backend the file does not define is high",
      before: cfg("  default_backend app"),
      after: cfg("  default_backend apps"),
      expect: [
        {
          severity: "high",
          line: "default_backend apps",
          phrase: "no backend apps is defined in this file",
        },
      ],
    },
    {
      name: "a use_backend rule removed sends its traffic to the default backend",
      before: cfg("  use_backend api if is_api\n  default_backend app"),
      after: cfg("  default_backend app"),
      expect: [
        {
          severity: "high",
          line: "use_backend api",
          side: "before",
          phrase: "is removed, so it falls to app",
        },
      ],
    },
    {
      name: "a backend renamed with its reference does not fire",
      before: cfg("  use_backend api if is_api\n  default_backend app", ["app", "api"]),
      after: cfg("  use_backend api_v1 if is_api\n  default_backend app", ["app", "api_v1"]),
      expect: [],
    },
    {
      name: "a map-based backend name built at run time does not fire",
      before: cfg(
        "  use_backend %[req.hdr(host),lower,map(/etc/haproxy/hosts.map)]\n  default_backend app",
      ),
      after: cfg(
        "  use_backend %[req.hdr(host),lower,map(/etc/haproxy/hosts.map,app)]\n  default_backend app",
      ),
      expect: [],
    },
    {
      name: "kubernetes: a controller resource's switching rule renamed to another backend is high",
      path: "tcp-cr.yaml",
      before: crd("tcp_http-echo-0_https"),
      after: crd("tcp_svc_http-echo-0_https"),
      expect: [
        {
          severity: "high",
          line: "name: tcp_svc",
          phrase:
            "traffic if switch_be_0 goes to tcp_svc_http-echo-0_https instead of tcp_http-echo-0_https",
        },
      ],
    },
    {
      name: "kubernetes: the resource's bind port moved, its switching rule kept: no finding here",
      path: "tcp-cr.yaml",
      before: crd("tcp_http-echo-0_https"),
      after: crd("tcp_http-echo-0_https", 32767),
      expect: [],
    },
    {
      name: "kubernetes: the same resource re-indented does not fire",
      path: "tcp-cr.yaml",
      before: crd("tcp_http-echo-0_https"),
      after: crd("tcp_http-echo-0_https")
        .replace(/^ {2}/gm, "    ")
        .replace(/^ {4}(apiVersion|kind|metadata|spec)/gm, "$1"),
      expect: [],
    },
  ],
});
