import hstsRemoved from "../../../src/rules/generic/tls-hsts-removed.js";
import { ruleTable } from "../rule-table.js";

const nginx = (http: string, server = "", location = "") => `http {
${http}  server {
    listen 443 ssl;
    server_name example.com;
${server}    location / {
${location}      proxy_pass http://app;
    }
    location /static {
      root /srv;
    }
  }
}
`;

const HSTS =
  '  add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;\n';

const haproxy = (response: string) => `frontend https
  bind *:443 ssl crt /etc/ssl/site.pem
${response}  default_backend app

backend app
  server a 10.0.0.1:8080 check
`;

const configMap = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
data:
  use-http2: "true"
${data}`;

ruleTable(hstsRemoved, {
  cases: [
    {
      name: "nginx: the http block's HSTS header removed is reported once: high",
      path: "nginx.conf",
      before: nginx(HSTS),
      after: nginx(""),
      expect: [
        {
          severity: "high",
          line: "server {",
          phrase:
            /server example\.com .* no longer sends Strict-Transport-Security .*Safe: keep `add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;`/,
        },
      ],
    },
    {
      name: "nginx: a location's own add_header hides the inherited HSTS: high",
      path: "nginx.conf",
      before: nginx(HSTS),
      after: nginx(HSTS, "", "      add_header X-Frame-Options DENY;\n"),
      expect: [
        {
          severity: "high",
          line: "location / {",
          phrase: /no longer sends Strict-Transport-Security/,
        },
      ],
    },
    {
      name: "nginx: the server's HSTS header moved into a newly included snippet is not known to be lost",
      path: "nginx.conf",
      before: nginx("", `  ${HSTS}`),
      after: nginx("", "    include snippets/security-headers.conf;\n"),
      expect: [],
    },
    {
      name: "nginx: the server's HSTS header dropped beside an include it already had: high",
      path: "nginx.conf",
      before: nginx("", `    include snippets/proxy.conf;\n  ${HSTS}`),
      after: nginx("", "    include snippets/proxy.conf;\n"),
      expect: [
        { severity: "high", line: "server {", phrase: "no longer sends Strict-Transport-Security" },
      ],
    },
    {
      name: "nginx: HSTS moved from http to the server block is still sent",
      path: "nginx.conf",
      before: nginx(HSTS),
      after: nginx("", `  ${HSTS}`),
      expect: [],
    },
    {
      name: "HAProxy: the HSTS response header removed: high",
      path: "haproxy.cfg",
      before: haproxy('  http-response set-header Strict-Transport-Security "max-age=63072000"\n'),
      after: haproxy(""),
      expect: [
        {
          severity: "high",
          line: "frontend https",
          phrase: /frontend https no longer sends Strict-Transport-Security/,
        },
      ],
    },
    {
      name: "HAProxy: another response header removed keeps HSTS",
      path: "haproxy.cfg",
      before: haproxy(
        '  http-response set-header Strict-Transport-Security "max-age=63072000"\n  http-response set-header X-Frame-Options DENY\n',
      ),
      after: haproxy('  http-response set-header Strict-Transport-Security "max-age=63072000"\n'),
      expect: [],
    },
    {
      name: "ingress-nginx: hsts turned off in the controller ConfigMap: high",
      path: "k8s/ingress-nginx.yaml",
      before: configMap(""),
      after: configMap('  hsts: "false"\n'),
      expect: [
        {
          severity: "high",
          line: 'hsts: "false"',
          phrase: /no longer sends Strict-Transport-Security/,
        },
      ],
    },
    {
      name: "ingress-nginx: hsts-max-age raised keeps HSTS",
      path: "k8s/ingress-nginx.yaml",
      before: configMap(""),
      after: configMap('  hsts-max-age: "63072000"\n'),
      expect: [],
    },
  ],
});

const traefik = (middlewares: string) => `[http.routers.web]
  rule = "Host(\`example.com\`)"
  service = "app"
  middlewares = ["secure"]

[http.services.app.loadBalancer]
  [[http.services.app.loadBalancer.servers]]
    url = "http://10.0.0.1:8080"
${middlewares}`;

ruleTable(hstsRemoved, {
  cases: [
    {
      name: "Traefik: a headers middleware losing stsSeconds: high",
      path: "traefik/dynamic.toml",
      before: traefik(
        "\n[http.middlewares.secure.headers]\n  stsSeconds = 31536000\n  frameDeny = true\n",
      ),
      after: traefik("\n[http.middlewares.secure.headers]\n  frameDeny = true\n"),
      expect: [
        {
          severity: "high",
          line: "[http.middlewares.secure.headers]",
          phrase:
            /middleware secure no longer sends Strict-Transport-Security \(was stsSeconds 31536000\)/,
        },
      ],
    },
    {
      name: "Traefik: the headers middleware renamed with its stsSeconds still sends HSTS",
      path: "traefik/dynamic.toml",
      before: traefik("\n[http.middlewares.secure.headers]\n  stsSeconds = 31536000\n"),
      after: traefik(
        '\n[http.middlewares.secure.redirectScheme]\n  scheme = "https"\n\n[http.middlewares.hsts.headers]\n  stsSeconds = 31536000\n',
      ),
      expect: [],
    },
  ],
});
