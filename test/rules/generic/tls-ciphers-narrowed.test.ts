import tlsCiphersNarrowed from "../../../src/rules/generic/tls-ciphers-narrowed.js";
import { ruleTable } from "../rule-table.js";

const nginx = (ciphers: string) => `http {
  server {
    listen 443 ssl;
    server_name example.com;
    ssl_ciphers ${ciphers};
    location / {
      proxy_pass http://app;
    }
  }
}
`;

const haproxy = (ciphers: string) => `global
  ssl-default-bind-ciphers ${ciphers}
  ssl-default-bind-options no-sslv3 no-tlsv10

frontend https
  bind *:443 ssl crt /etc/ssl/site.pem
  default_backend app

backend app
  server a 10.0.0.1:8080 check
`;

const envoy = (suites: string) => `static_resources:
  listeners:
  - name: https
    address:
      socket_address: { address: 0.0.0.0, port_value: 443 }
    filter_chains:
    - filters:
      - name: envoy.filters.network.tcp_proxy
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
          stat_prefix: https
          cluster: app
      transport_socket:
        name: envoy.transport_sockets.tls
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
          common_tls_context:
            tls_params:
              cipher_suites: ${suites}
`;

const ingress = (ciphers: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/ssl-ciphers: "${ciphers}"
spec:
  ingressClassName: nginx
  rules:
    - host: example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`;

/** A Traefik dynamic file whose default TLS options offer `suites`. */
const traefik = (...suites: string[]) => `tls:
  options:
    default:
      minVersion: VersionTLS12
      cipherSuites:
${suites.map((suite) => `        - ${suite}\n`).join("")}`;
const TRAEFIK_SUITES = [
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];

const OLD =
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-GCM-SHA256:AES128-SHA:DES-CBC3-SHA";

ruleTable(tlsCiphersNarrowed, {
  cases: [
    {
      name: "nginx ssl_ciphers dropping DHE and RSA key-exchange suites: high",
      path: "nginx.conf",
      before: nginx(OLD),
      after: nginx("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"),
      expect: [
        {
          severity: "high",
          line: "ssl_ciphers ECDHE",
          phrase:
            /ssl_ciphers in .* is narrowed \(no longer offers DHE-RSA-AES128-GCM-SHA256, AES128-SHA\)/,
        },
      ],
    },
    {
      name: "nginx ssl_ciphers dropping only 3DES is hardening, not narrowing",
      path: "nginx.conf",
      before: nginx(OLD),
      after: nginx(OLD.replace(":DES-CBC3-SHA", "")),
      expect: [],
    },
    {
      name: "nginx ssl_ciphers adding a suite keeps every old one",
      path: "nginx.conf",
      before: nginx("ECDHE-RSA-AES128-GCM-SHA256"),
      after: nginx("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305"),
      expect: [],
    },
    {
      name: "HAProxy ssl-default-bind-ciphers gaining !SHA1: high",
      path: "haproxy.cfg",
      before: haproxy("ECDH+AESGCM:ECDH+AES256:!aNULL:!MD5"),
      after: haproxy("ECDH+AESGCM:ECDH+AES256:!aNULL:!MD5:!SHA1"),
      expect: [
        {
          severity: "high",
          line: "ssl-default-bind-ciphers",
          phrase: /global ssl-default-bind-ciphers is narrowed \(no longer offers !SHA1\)/,
        },
      ],
    },
    {
      name: "HAProxy ssl-default-bind-ciphers gaining !RC4 is hardening",
      path: "haproxy.cfg",
      before: haproxy("ECDH+AESGCM:ECDH+AES256:!aNULL:!MD5"),
      after: haproxy("ECDH+AESGCM:ECDH+AES256:!aNULL:!MD5:!RC4"),
      expect: [],
    },
    {
      name: "Envoy cipher_suites losing a group: high",
      path: "envoy.yaml",
      before: envoy(
        '["[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]", "ECDHE-RSA-AES128-GCM-SHA256"]',
      ),
      after: envoy('["ECDHE-ECDSA-AES128-GCM-SHA256"]'),
      expect: [
        {
          severity: "high",
          line: "cipher_suites",
          phrase:
            /is narrowed \(no longer offers ECDHE-ECDSA-CHACHA20-POLY1305, ECDHE-RSA-AES128-GCM-SHA256\)/,
        },
      ],
    },
    {
      name: "an Ingress's ssl-ciphers annotation narrowed to one suite: high",
      path: "k8s/ingress.yaml",
      before: ingress("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"),
      after: ingress("ECDHE-RSA-AES256-GCM-SHA384"),
      expect: [
        {
          severity: "high",
          line: "ssl-ciphers",
          phrase:
            /cipher list of Ingress web is narrowed \(no longer offers ECDHE-RSA-AES128-GCM-SHA256\)/,
        },
      ],
    },
    {
      name: "an Ingress's ssl-ciphers annotation widened keeps every suite",
      path: "k8s/ingress.yaml",
      before: ingress("ECDHE-RSA-AES256-GCM-SHA384"),
      after: ingress("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"),
      expect: [],
    },
    {
      name: "Traefik TLS options' cipherSuites losing the RSA suites: high",
      path: "traefik/dynamic.yaml",
      before: traefik(...TRAEFIK_SUITES),
      after: traefik(TRAEFIK_SUITES[0]!),
      expect: [
        {
          severity: "high",
          line: "cipherSuites",
          phrase:
            /is narrowed \(no longer offers TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256\)/,
        },
      ],
    },
    {
      name: "Traefik TLS options' cipherSuites gaining a suite keeps every old one",
      path: "traefik/dynamic.yaml",
      before: traefik(...TRAEFIK_SUITES.slice(0, 2)),
      after: traefik(...TRAEFIK_SUITES),
      expect: [],
    },
    {
      name: "Envoy cipher_suites gaining a suite keeps every old one",
      path: "envoy.yaml",
      before: envoy('["ECDHE-ECDSA-AES128-GCM-SHA256"]'),
      after: envoy('["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256"]'),
      expect: [],
    },
    {
      name: "Envoy cipher_suites reordered offers the same suites",
      path: "envoy.yaml",
      before: envoy('["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"]'),
      after: envoy('["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256"]'),
      expect: [],
    },
  ],
});
