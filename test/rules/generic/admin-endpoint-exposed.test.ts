import adminEndpointExposed from "../../../src/rules/generic/admin-endpoint-exposed.js";
import { ruleTable } from "../rule-table.js";
import { DEFAULTS } from "../haproxy/builders.js";
import { traefikDeployment } from "../traefik/builders.js";

const haproxy = (stats: string, bind = "*:8404") => `global
  maxconn 2000

${DEFAULTS}
listen stats
  bind ${bind}
${stats}
backend app
  server a 10.0.0.1:8080 check
`;

const traefikStatic = (api: string) => `[entryPoints]
  [entryPoints.web]
    address = ":80"

[api]
  dashboard = true
${api}
[providers.docker]
  exposedByDefault = false
`;

ruleTable(adminEndpointExposed, {
  cases: [
    {
      name: "HAProxy stats enabled on *:8404 without auth: high",
      path: "haproxy.cfg",
      before: haproxy(""),
      after: haproxy("  stats enable\n  stats uri /stats\n"),
      expect: [
        {
          severity: "high",
          line: "stats enable",
          phrase: /listen stats serves the statistics page on \*:8404 without `stats auth`/,
        },
      ],
    },
    {
      name: "HAProxy stats with stats auth is not exposed",
      path: "haproxy.cfg",
      before: haproxy(""),
      after: haproxy("  stats enable\n  stats uri /stats\n  stats auth admin:s3cret\n"),
      expect: [],
    },
    {
      name: "HAProxy stats bound to loopback is not exposed",
      path: "haproxy.cfg",
      before: haproxy("", "127.0.0.1:8404"),
      after: haproxy("  stats enable\n", "127.0.0.1:8404"),
      expect: [],
    },
    {
      name: "HAProxy stats losing its auth: high",
      path: "haproxy.cfg",
      before: haproxy("  stats enable\n  stats auth admin:s3cret\n"),
      after: haproxy("  stats enable\n"),
      expect: [{ severity: "high", line: "stats enable", phrase: /without `stats auth`/ }],
    },
    {
      name: "the same stats page moved from a listen to a frontend section is not new",
      path: "haproxy.cfg",
      before: haproxy("  stats enable\n"),
      after: haproxy("  stats enable\n").replace("listen stats", "frontend stats"),
      expect: [],
    },
    {
      name: "an unauthenticated stats page moved to another port was reachable before: not new",
      path: "haproxy.cfg",
      before: haproxy("  stats enable\n", "*:1936"),
      after: haproxy("  stats enable\n", "*:8404"),
      expect: [],
    },
    {
      name: "an unauthenticated stats page gaining admin actions: high",
      path: "haproxy.cfg",
      before: haproxy("  stats enable\n"),
      after: haproxy("  stats enable\n  stats admin if TRUE\n"),
      expect: [{ severity: "high", line: "stats enable", phrase: /with admin actions/ }],
    },
    {
      name: "an unauthenticated stats page losing its admin actions exposes less: not reported",
      path: "haproxy.cfg",
      before: haproxy("  stats enable\n  stats admin if TRUE\n"),
      after: haproxy("  stats enable\n"),
      expect: [],
    },
    {
      name: "Traefik api.insecure = true added: high",
      path: "traefik.toml",
      before: traefikStatic(""),
      after: traefikStatic("  insecure = true\n"),
      expect: [
        {
          severity: "high",
          line: "insecure = true",
          phrase: /`api.insecure = true` serves Traefik's API and dashboard unauthenticated/,
        },
      ],
    },
    {
      name: "Traefik api.insecure = false is not exposed",
      path: "traefik.toml",
      before: traefikStatic(""),
      after: traefikStatic("  insecure = false\n"),
      expect: [],
    },
    {
      name: "the Traefik container gaining --api.insecure: high",
      path: "k8s/traefik.yaml",
      before: traefikDeployment("--entrypoints.web.address=:80"),
      after: traefikDeployment("--entrypoints.web.address=:80", "--api.insecure"),
      expect: [
        {
          severity: "high",
          line: "- --api.insecure",
          phrase: /runs Traefik with `--api.insecure`/,
        },
      ],
    },
    {
      name: "the Traefik container with --api.dashboard only is not exposed",
      path: "k8s/traefik.yaml",
      before: traefikDeployment("--entrypoints.web.address=:80"),
      after: traefikDeployment("--entrypoints.web.address=:80", "--api.dashboard=true"),
      expect: [],
    },
  ],
});

const compose = (command: string, labels = "") => `services:
  traefik:
    image: traefik:v2.11
    command:
      - "--providers.docker=true"
${command}    ports:
      - "80:80"
      - "8080:8080"
${labels}`;

ruleTable(adminEndpointExposed, {
  path: "docker-compose.yml",
  cases: [
    {
      name: "compose: the Traefik service gaining --api.insecure=true: high",
      before: compose(""),
      after: compose('      - "--api.insecure=true"\n'),
      expect: [
        {
          severity: "high",
          line: "command:",
          phrase: /service traefik runs Traefik with `--api.insecure=true`/,
        },
      ],
    },
    {
      name: "compose: a router to api@internal behind a middleware is not exposed",
      before: compose(""),
      after: compose(
        "",
        '    labels:\n      - "traefik.http.routers.dash.service=api@internal"\n      - "traefik.http.routers.dash.middlewares=auth"\n',
      ),
      expect: [],
    },
    {
      name: "compose: a router to api@internal without middleware: high",
      before: compose(""),
      after: compose("", '    labels:\n      - "traefik.http.routers.dash.service=api@internal"\n'),
      expect: [
        {
          severity: "high",
          line: "routers.dash.service",
          phrase: /router dash \(service traefik\) serves api@internal/,
        },
      ],
    },
  ],
});
