import routeHostRemoved from "../../../src/rules/lb/route-host-removed.js";
import { ruleTable } from "../rule-table.js";
import { TRAEFIK_PATH, THREE, balancer } from "../traefik/builders.js";

/** A Traefik dynamic configuration with router `shop` matching `rule`, and service `shop`. */
const traefik = (rule: string, more = ""): string => `http:
  routers:
    shop:
      rule: ${rule}
      service: shop
${more}  services:
    shop:
${balancer(THREE)}`;

/** A docker-compose file whose service `whoami` declares a Traefik router with `rule`. */
const compose = (rule: string): string => `services:
  whoami:
    image: traefik/whoami
    labels:
      - "traefik.enable=true"
      - "traefik.http.routers.whoami.rule=${rule}"
      - "traefik.http.routers.whoami.entrypoints=websecure"
`;

/** An Ingress routing `hosts` to Service web:80. */
const ingress = (...hosts: string[]): string => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
${hosts
  .map(
    (host) => `    - host: ${host}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80`,
  )
  .join("\n")}
`;

ruleTable(routeHostRemoved, {
  path: TRAEFIK_PATH,
  cases: [
    {
      name: "traefik: a router's host changed is high",
      before: traefik("Host(`shop.example.com`)"),
      after: traefik("Host(`store.example.com`)"),
      expect: [
        {
          severity: "high",
          line: "rule:",
          phrase: "router shop no longer routes shop.example.com (now store.example.com)",
        },
      ],
    },
    {
      name: "traefik: a host added to the rule does not fire",
      before: traefik("Host(`shop.example.com`)"),
      after: traefik("Host(`shop.example.com`) || Host(`store.example.com`)"),
      expect: [],
    },
    {
      name: "traefik: a host moved to another router of the file does not fire",
      before: traefik("Host(`shop.example.com`) || Host(`old.example.com`)"),
      after: traefik(
        "Host(`shop.example.com`)",
        "    legacy:\n      rule: Host(`old.example.com`)\n      service: shop\n",
      ),
      expect: [],
    },
    {
      name: "compose: a Traefik router label's host changed is high",
      path: "docker-compose.yml",
      before: compose("Host(`whoami.mydomain.com`)"),
      after: compose("Host(`whoami.example.com`)"),
      expect: [
        {
          severity: "high",
          line: "routers.whoami.rule",
          phrase: "no longer routes whoami.mydomain.com (now whoami.example.com)",
        },
      ],
    },
    {
      name: "compose: a path prefix added next to the same host does not fire",
      path: "docker-compose.yml",
      before: compose("Host(`whoami.example.com`)"),
      after: compose("Host(`whoami.example.com`) && PathPrefix(`/api`)"),
      expect: [],
    },
    {
      name: "compose: a templated host does not fire",
      path: "docker-compose.yml",
      before: compose("Host(`whoami.example.com`)"),
      after: compose("Host(`whoami.${DOMAIN}`)"),
      expect: [],
    },
    {
      name: "kubernetes: an Ingress host replaced is high",
      path: "ingress.yaml",
      before: ingress("shop.example.com"),
      after: ingress("store.example.com"),
      expect: [
        {
          severity: "high",
          line: "host:",
          phrase: "Ingress web no longer routes shop.example.com",
        },
      ],
    },
    {
      name: "traefik: a router that drops its Host matcher now matches every host: does not fire",
      before: traefik("Host(`shop.example.com`) && PathPrefix(`/api`)"),
      after: traefik("PathPrefix(`/api`)"),
      expect: [],
    },
    {
      name: "traefik: a host moved to a HostRegexp that may match it does not fire",
      before: traefik("Host(`shop.example.com`)"),
      after: traefik("HostRegexp(`{sub:[a-z]+}.example.com`)"),
      expect: [],
    },
    {
      name: "kubernetes: an Ingress rule whose host is dropped now matches every host: does not fire",
      path: "ingress.yaml",
      before: ingress("shop.example.com"),
      after: ingress("shop.example.com").replace(
        "    - host: shop.example.com\n      http:",
        "    - http:",
      ),
      expect: [],
    },
    {
      name: "kubernetes: an Ingress host replaced by a wildcard covering it does not fire",
      path: "ingress.yaml",
      before: ingress("shop.example.com"),
      after: ingress('"*.example.com"'),
      expect: [],
    },
    {
      name: "kubernetes: an Ingress host replaced by a wildcard of another domain is high",
      path: "ingress.yaml",
      before: ingress("shop.example.com"),
      after: ingress('"*.example.org"'),
      expect: [
        {
          severity: "high",
          line: "host:",
          phrase: "Ingress web no longer routes shop.example.com",
        },
      ],
    },
    {
      name: "kubernetes: an Ingress host kept next to a new one does not fire",
      path: "ingress.yaml",
      before: ingress("shop.example.com"),
      after: ingress("shop.example.com", "store.example.com"),
      expect: [],
    },
  ],
});
