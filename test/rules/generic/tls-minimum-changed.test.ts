import tlsMinimumChanged from "../../../src/rules/generic/tls-minimum-changed.js";
import { ruleTable } from "../rule-table.js";
import { DEFAULTS } from "../haproxy/builders.js";

const nginx = (protocols: string) => `http {
  server {
    listen 443 ssl;
    server_name example.com;
${protocols}    location / {
      proxy_pass http://app;
    }
  }
}
`;

const haproxy = (global: string, bind = "") => `${global}${DEFAULTS}
frontend https
  bind *:443 ssl crt /etc/ssl/site.pem${bind}
  default_backend app

backend app
  server a 10.0.0.1:8080 check
`;

const envoy = (params: string) => `static_resources:
  clusters:
  - name: billing
    connect_timeout: 1s
    type: STRICT_DNS
    load_assignment:
      cluster_name: billing
      endpoints:
      - lb_endpoints:
        - endpoint:
            address:
              socket_address: { address: billing.internal, port_value: 443 }
    transport_socket:
      name: envoy.transport_sockets.tls
      typed_config:
        "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
        sni: billing.internal
${params}`;

const traefik = (option: string) => `[tls.options]
  [tls.options.default]
${option}    sniStrict = true
`;

const configMap = (protocols: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
data:
  use-http2: "true"
${protocols}`;

ruleTable(tlsMinimumChanged, {
  cases: [
    {
      name: "nginx ssl_protocols without TLSv1 and TLSv1.1 raises the floor to TLS 1.2: high",
      path: "nginx.conf",
      before: nginx("    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n"),
      after: nginx("    ssl_protocols TLSv1.2;\n"),
      expect: [
        {
          severity: "high",
          line: "ssl_protocols TLSv1.2;",
          phrase:
            /raises the lowest TLS protocol from TLS 1\.0 to TLS 1\.2 .*clients that only speak TLS 1\.0 or TLS 1\.1 now fail/,
        },
      ],
    },
    {
      name: "nginx ssl_protocols gaining TLSv1.3 keeps the floor",
      path: "nginx.conf",
      before: nginx("    ssl_protocols TLSv1.2;\n"),
      after: nginx("    ssl_protocols TLSv1.2 TLSv1.3;\n"),
      expect: [],
    },
    {
      name: "nginx ssl_protocols removed (moved to an include, or the version's default) is not judged here",
      path: "nginx.conf",
      before: nginx("    ssl_protocols SSLv3 TLSv1 TLSv1.1 TLSv1.2;\n"),
      after: nginx("    include ssl.conf;\n"),
      expect: [],
    },
    {
      name: "nginx lowering is nginx.ssl-protocols.weakened's, not this rule's",
      path: "nginx.conf",
      before: nginx("    ssl_protocols TLSv1.2;\n"),
      after: nginx("    ssl_protocols TLSv1 TLSv1.2;\n"),
      expect: [],
    },
    {
      name: "HAProxy ssl-default-bind-options gaining no-tlsv10 raises the floor to TLS 1.1: high",
      path: "haproxy.cfg",
      before: haproxy("global\n  ssl-default-bind-options no-sslv3 no-tls-tickets\n\n"),
      after: haproxy("global\n  ssl-default-bind-options no-sslv3 no-tls-tickets no-tlsv10\n\n"),
      expect: [
        {
          severity: "high",
          line: "ssl-default-bind-options",
          phrase:
            /global ssl-default-bind-options raises the lowest TLS protocol from TLS 1\.0 to TLS 1\.1/,
        },
      ],
    },
    {
      name: "HAProxy ssl-default-bind-options gaining no-sslv3 refuses no current client",
      path: "haproxy.cfg",
      before: haproxy("global\n  maxconn 2000\n\n"),
      after: haproxy("global\n  maxconn 2000\n  ssl-default-bind-options no-sslv3\n\n"),
      expect: [],
    },
    {
      name: "HAProxy global gaining ssl-min-ver TLSv1.2 where nothing was written: the default since HAProxy 2.2, medium",
      path: "haproxy.cfg",
      before: haproxy("global\n  maxconn 2000\n\n"),
      after: haproxy(
        "global\n  maxconn 2000\n  ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets\n\n",
      ),
      expect: [
        {
          severity: "medium",
          line: "ssl-default-bind-options",
          phrase:
            /raises the lowest TLS protocol from SSLv3 to TLS 1\.2 .*only on HAProxy before 2\.2/,
        },
      ],
    },
    {
      name: "HAProxy global gaining ssl-min-ver TLSv1.3 where nothing was written: above every default, high",
      path: "haproxy.cfg",
      before: haproxy("global\n  maxconn 2000\n\n"),
      after: haproxy("global\n  maxconn 2000\n  ssl-default-bind-options ssl-min-ver TLSv1.3\n\n"),
      expect: [
        {
          severity: "high",
          line: "ssl-default-bind-options",
          phrase: /raises the lowest TLS protocol from SSLv3 to TLS 1\.3/,
        },
      ],
    },
    {
      name: "HAProxy hardening options removed from global: the floor falls back to the default, high",
      path: "haproxy.cfg",
      before: haproxy("global\n  maxconn 2000\n  ssl-default-bind-options no-sslv3 no-tlsv10\n\n"),
      after: haproxy("global\n  maxconn 2000\n\n"),
      expect: [
        {
          severity: "high",
          line: "global",
          phrase:
            /lowers the lowest TLS protocol from TLS 1\.1 to SSLv3 .*Safe: keep `no-sslv3 no-tlsv10`/,
        },
      ],
    },
    {
      name: "a global section added with hardening is not a change of an existing context",
      path: "haproxy.cfg",
      before: haproxy(""),
      after: haproxy("global\n  ssl-default-bind-options no-sslv3 no-tlsv10 no-tlsv11\n\n"),
      expect: [],
    },
    {
      name: "an HAProxy bind line's ssl-min-ver raised to TLSv1.3: high",
      path: "haproxy.cfg",
      before: haproxy("", " ssl-min-ver TLSv1.2"),
      after: haproxy("", " ssl-min-ver TLSv1.3"),
      expect: [
        {
          severity: "high",
          line: "bind *:443",
          phrase:
            /frontend https bind \*:443 raises the lowest TLS protocol from TLS 1\.2 to TLS 1\.3/,
        },
      ],
    },
    {
      name: "Envoy upstream TLS gaining tls_minimum_protocol_version TLSv1_3 (default TLS 1.2): high",
      path: "envoy.yaml",
      before: envoy(""),
      after: envoy(
        "        common_tls_context:\n          tls_params:\n            tls_minimum_protocol_version: TLSv1_3\n",
      ),
      expect: [
        {
          severity: "high",
          line: "tls_minimum_protocol_version",
          phrase:
            /cluster "billing" \(upstream TLS\) raises the lowest TLS protocol from TLS 1\.2 to TLS 1\.3 .*servers that only speak TLS 1\.2/,
        },
      ],
    },
    {
      name: "Envoy upstream TLS writing the default TLSv1_2 changes nothing",
      path: "envoy.yaml",
      before: envoy(""),
      after: envoy(
        "        common_tls_context:\n          tls_params:\n            tls_minimum_protocol_version: TLSv1_2\n",
      ),
      expect: [],
    },
    {
      name: "Envoy downstream floor lowered to TLSv1_0: high",
      path: "envoy.yaml",
      before: envoy(
        "        common_tls_context:\n          tls_params:\n            tls_minimum_protocol_version: TLSv1_2\n",
      ),
      after: envoy(
        "        common_tls_context:\n          tls_params:\n            tls_minimum_protocol_version: TLSv1_0\n",
      ),
      expect: [
        {
          severity: "high",
          line: "tls_minimum_protocol_version",
          phrase: /lowers the lowest TLS protocol from TLS 1\.2 to TLS 1\.0/,
        },
      ],
    },
    {
      name: "Traefik minVersion raised to VersionTLS13 (default TLS 1.2): high",
      path: "traefik/dynamic.toml",
      before: traefik(""),
      after: traefik('    minVersion = "VersionTLS13"\n'),
      expect: [
        {
          severity: "high",
          line: "minVersion",
          phrase: /TLS option default raises the lowest TLS protocol from TLS 1\.2 to TLS 1\.3/,
        },
      ],
    },
    {
      name: "Traefik minVersion written as the default VersionTLS12 changes nothing",
      path: "traefik/dynamic.toml",
      before: traefik(""),
      after: traefik('    minVersion = "VersionTLS12"\n'),
      expect: [],
    },
    {
      name: "ingress-nginx ConfigMap ssl-protocols lowered to TLSv1: high",
      path: "k8s/ingress-nginx.yaml",
      before: configMap(""),
      after: configMap('  ssl-protocols: "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3"\n'),
      expect: [
        {
          severity: "high",
          line: "ssl-protocols",
          phrase: /lowers the lowest TLS protocol from TLS 1\.2 to TLS 1\.0/,
        },
      ],
    },
    {
      name: "ingress-nginx ConfigMap ssl-protocols written as its default changes nothing",
      path: "k8s/ingress-nginx.yaml",
      before: configMap(""),
      after: configMap('  ssl-protocols: "TLSv1.2 TLSv1.3"\n'),
      expect: [],
    },
  ],
});
