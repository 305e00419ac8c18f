import tlsDowngraded from "../../../src/rules/generic/tls-downgraded.js";
import { ruleTable } from "../rule-table.js";
import { APP, CLUSTER, TRAEFIK_SERVICE, envoy, haproxy, nginx, traefik } from "./builders.js";

ruleTable(tlsDowngraded, {
  cases: [
    {
      name: "nginx listen 443 ssl → listen 443 is high",
      path: "nginx/site.conf",
      before: nginx(APP, "    listen 443 ssl;\n    server_name shop.example.com;"),
      after: nginx(APP, "    listen 443;\n    server_name shop.example.com;"),
      expect: [
        {
          severity: "high",
          line: "listen 443",
          phrase: /on \*:443 no longer terminates TLS \(listen 443 ssl → listen 443\)/,
        },
      ],
    },
    {
      name: "a HAProxy bind without ssl is high",
      path: "haproxy/haproxy.cfg",
      before: haproxy(
        "backend web\n  server w1 10.0.0.1:80\n",
        "  bind :443 ssl crt /etc/haproxy/site.pem\n  default_backend web\n",
      ),
      after: haproxy(
        "backend web\n  server w1 10.0.0.1:80\n",
        "  bind :443\n  default_backend web\n",
      ),
      expect: [
        {
          severity: "high",
          line: "bind :443",
          phrase: /frontend fe on \*:443 no longer terminates TLS/,
        },
      ],
    },
    {
      name: "an Envoy listener's transport_socket removed is high",
      path: "envoy/envoy.yaml",
      before: envoy(
        CLUSTER("web"),
        443,
        "      transport_socket:\n        name: envoy.transport_sockets.tls\n",
      ),
      after: envoy(CLUSTER("web"), 443),
      expect: [
        {
          severity: "high",
          line: "port_value: 443",
          phrase: /listener "main" on \*:443 no longer terminates TLS/,
        },
      ],
    },
    {
      name: "a Traefik router losing tls is high",
      path: "traefik/dynamic.yml",
      before: traefik(TRAEFIK_SERVICE("web"), "      tls: {}\n"),
      after: traefik(TRAEFIK_SERVICE("web")),
      expect: [{ severity: "high", line: "    web:", phrase: /router web loses its tls section/ }],
    },
    {
      name: "an Ingress tls host removed is high",
      path: "k8s/ingress.yaml",
      before:
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  tls:\n  - hosts:\n    - shop.example.com\n    secretName: shop-tls\n  rules:\n  - host: shop.example.com\n",
      after:
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  rules:\n  - host: shop.example.com\n",
      expect: [
        {
          severity: "high",
          line: "- shop.example.com",
          side: "before",
          phrase: /Ingress shop no longer terminates TLS for shop\.example\.com/,
        },
      ],
    },
    {
      name: "dropping http2 while keeping ssl is no downgrade",
      path: "nginx/site.conf",
      before: nginx(APP, "    listen 443 ssl http2;\n    server_name shop.example.com;"),
      after: nginx(APP, "    listen 443 ssl;\n    server_name shop.example.com;"),
      expect: [],
    },
  ],
});
