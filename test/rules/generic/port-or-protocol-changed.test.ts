import portOrProtocolChanged from "../../../src/rules/generic/port-or-protocol-changed.js";
import { ruleTable } from "../rule-table.js";
import { APP, CLUSTER, envoy, haproxy, k8sService, nginx } from "./builders.js";

ruleTable(portOrProtocolChanged, {
  cases: [
    {
      name: "an nginx listen port moved (its only address) is critical",
      path: "nginx/site.conf",
      before: nginx(APP, "    listen 80;\n    server_name shop.example.com;"),
      after: nginx(APP, "    listen 8080;\n    server_name shop.example.com;"),
      expect: [
        {
          severity: "critical",
          line: "listen 8080",
          phrase: /server "shop\.example\.com" moves from \*:80 to \*:8080/,
        },
      ],
    },
    {
      name: "a HAProxy bind moved (its only address) is critical",
      path: "haproxy/haproxy.cfg",
      before: haproxy("backend web\n  server w1 10.0.0.1:80\n"),
      after: haproxy(
        "backend web\n  server w1 10.0.0.1:80\n",
        "  bind :8080\n  default_backend web\n",
      ),
      expect: [
        {
          severity: "critical",
          line: "bind :8080",
          phrase: /frontend fe moves from \*:80 to \*:8080/,
        },
      ],
    },
    {
      name: "an Envoy listener port moved (its only address) is critical",
      path: "envoy/envoy.yaml",
      before: envoy(CLUSTER("web"), 10000),
      after: envoy(CLUSTER("web"), 10001),
      expect: [
        {
          severity: "critical",
          line: "port_value: 10001",
          phrase: /listener "main" moves from \*:10000 to \*:10001/,
        },
      ],
    },
    {
      name: "a Traefik entryPoint moved (its only address) is critical",
      path: "traefik/traefik.yml",
      before:
        'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  file:\n    directory: /etc/traefik\napi: {}\n',
      after:
        'entryPoints:\n  web:\n    address: ":8080"\nproviders:\n  file:\n    directory: /etc/traefik\napi: {}\n',
      expect: [
        {
          severity: "critical",
          line: "address",
          phrase: /entryPoint web moves from \*:80 to \*:8080/,
        },
      ],
    },
    {
      name: "one of two HAProxy binds moved is high, not critical",
      path: "haproxy/haproxy.cfg",
      before: haproxy(
        "backend web\n  server w1 10.0.0.1:80\n",
        "  bind :80\n  bind :443\n  default_backend web\n",
      ),
      after: haproxy(
        "backend web\n  server w1 10.0.0.1:80\n",
        "  bind :80\n  bind :8443\n  default_backend web\n",
      ),
      expect: [{ severity: "high", line: "bind :8443", phrase: /moves from \*:443 to \*:8443/ }],
    },
    {
      name: "a Traefik entryPoint removed is high",
      path: "traefik/traefik.yml",
      before:
        'entryPoints:\n  web:\n    address: ":80"\n  websecure:\n    address: ":443"\nproviders:\n  file:\n    directory: /etc/traefik\n',
      after:
        'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  file:\n    directory: /etc/traefik\n',
      expect: [
        {
          severity: "high",
          line: "websecure",
          side: "before",
          phrase: "entryPoint websecure (*:443) is removed",
        },
      ],
    },
    {
      name: "a Traefik entryPoint renamed on the same address does not fire",
      path: "traefik/traefik.yml",
      before:
        'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  file:\n    directory: /etc/traefik\n',
      after:
        'entryPoints:\n  http:\n    address: ":80"\nproviders:\n  file:\n    directory: /etc/traefik\n',
      expect: [],
    },
    {
      name: "one of two listens dropped is medium",
      path: "nginx/site.conf",
      before: nginx(APP, "    listen 80;\n    listen 8080;\n    server_name shop.example.com;"),
      after: nginx(APP, "    listen 80;\n    server_name shop.example.com;"),
      expect: [
        {
          severity: "medium",
          line: "listen 8080",
          side: "before",
          phrase: /no longer listens on \*:8080 .* while \*:80 remains/,
        },
      ],
    },
    {
      name: "expecting the PROXY protocol is high",
      path: "haproxy/haproxy.cfg",
      before: haproxy("backend web\n  server w1 10.0.0.1:80\n"),
      after: haproxy(
        "backend web\n  server w1 10.0.0.1:80\n",
        "  bind :80 accept-proxy\n  default_backend web\n",
      ),
      expect: [
        {
          severity: "high",
          line: "bind :80 accept-proxy",
          phrase: /now expects a PROXY protocol header/,
        },
      ],
    },
    {
      name: "reordering unnamed nginx server blocks moves no port",
      path: "nginx/site.conf",
      before: "http {\n  server {\n    listen 80;\n  }\n  server {\n    listen 8080;\n  }\n}\n",
      after: "http {\n  server {\n    listen 8080;\n  }\n  server {\n    listen 80;\n  }\n}\n",
      expect: [],
    },
    {
      name: "the same wildcard written another way is no change",
      path: "haproxy/haproxy.cfg",
      before: haproxy(
        "backend web\n  server w1 10.0.0.1:80\n",
        "  bind *:80\n  default_backend web\n",
      ),
      after: haproxy(
        "backend web\n  server w1 10.0.0.1:80\n",
        "  bind 0.0.0.0:80 name http\n  default_backend web\n",
      ),
      expect: [],
    },
    {
      name: "Kubernetes Service ports belong to kubernetes.service.port-changed",
      path: "k8s/service.yaml",
      before: k8sService("web"),
      after: k8sService("web").replace("port: 80", "port: 8080"),
      expect: [],
    },
  ],
});
