import { TRAEFIK_RULES } from "../../src/rules/traefik/index.js";
import { describeFamily, type ExpectedCase } from "./table.js";

/** A v3 YAML dynamic configuration with service `shop` (its `loadBalancer` lines start at line 8). */
const dynamic = (balancer: string, services = ""): string => `http:
  routers:
    shop:
      rule: Host(\`shop.example.com\`)
      service: shop
  services:
    shop:
${balancer}${services}`;

const balancer = (servers: readonly string[], extra = ""): string =>
  `      loadBalancer:
        servers:
${servers.map((url) => `        - url: ${url}`).join("\n")}
${extra}`;

const THREE = ["http://10.0.0.1:80", "http://10.0.0.2:80", "http://10.0.0.3:80"];
const check = (path: string, interval = "10s"): string =>
  `        healthCheck:\n          path: ${path}\n          interval: ${interval}\n`;

/** A weighted service `canary` over `v1` and `v2` (its entries start at line 16 after a 3-server shop). */
const weighted = (v1: number, v2: number): string => `    canary:
      weighted:
        services:
        - name: v1
          weight: ${v1}
        - name: v2
          weight: ${v2}
`;

const mirroring = (main: string, percent: number): string => `    mirrored:
      mirroring:
        service: ${main}
        mirrors:
        - name: shadow
          percent: ${percent}
`;

const CASES: Readonly<Record<string, readonly ExpectedCase[]>> = {
  "traefik.server.removed": [
    {
      name: "one of three servers removed is high (before-side line)",
      before: dynamic(balancer(THREE)),
      after: dynamic(balancer(THREE.slice(0, 2))),
      expected: [
        {
          severity: "high",
          line: 12,
          phrase: "loses 1 of its 3 servers taking traffic (http://10.0.0.3:80), 33%",
        },
      ],
    },
    {
      name: "keys in any case: a v2 TOML file with lowercase keys",
      path: "dynamic.toml",
      before: `[http.services.shop.loadbalancer]\n  [[http.services.shop.loadbalancer.servers]]\n    url = "http://a:80"\n  [[http.services.shop.loadbalancer.servers]]\n    url = "http://b:80"\n  [[http.services.shop.loadbalancer.servers]]\n    url = "http://c:80"\n  [[http.services.shop.loadbalancer.servers]]\n    url = "http://d:80"\n`,
      after: `[http.services.shop.loadbalancer]\n  [[http.services.shop.loadbalancer.servers]]\n    url = "http://a:80"\n  [[http.services.shop.loadbalancer.servers]]\n    url = "http://b:80"\n  [[http.services.shop.loadbalancer.servers]]\n    url = "http://c:80"\n`,
      expected: [{ severity: "medium", line: 8, phrase: "loses 1 of its 4 servers" }],
    },
    {
      name: "a server replaced by another does not fire",
      before: dynamic(balancer(THREE)),
      after: dynamic(balancer([...THREE.slice(0, 2), "http://10.0.0.9:80"])),
      expected: [],
    },
  ],
  "traefik.health-check.removed": [
    {
      name: "removed from a service with three servers is high",
      before: dynamic(balancer(THREE, check("/health"))),
      after: dynamic(balancer(THREE)),
      expected: [{ severity: "high", line: 13, phrase: "no longer health-checks its 3 servers" }],
    },
    {
      name: "an interval change is not a removal",
      before: dynamic(balancer(THREE, check("/health"))),
      after: dynamic(balancer(THREE, check("/health", "30s"))),
      expected: [],
    },
  ],
  "traefik.health-check.path-changed": [
    {
      name: "the check path changes",
      before: dynamic(balancer(THREE, check("/health"))),
      after: dynamic(balancer(THREE, check("/ready"))),
      expected: [{ severity: "high", line: 13, phrase: "changes path /health → /ready" }],
    },
    {
      name: "the same path with another key case is no change",
      before: dynamic(balancer(THREE, check("/health"))),
      after: dynamic(
        balancer(THREE, "        healthcheck:\n          Path: /health\n          interval: 10s\n"),
      ),
      expected: [],
    },
  ],
  "traefik.pass-host-header.disabled": [
    {
      name: "turned off where it was the default",
      before: dynamic(balancer(THREE)),
      after: dynamic(balancer(THREE, "        passHostHeader: false\n")),
      expected: [{ severity: "high", line: 13, phrase: "passHostHeader true by default → false" }],
    },
    {
      name: "turned on does not fire",
      before: dynamic(balancer(THREE, "        passHostHeader: false\n")),
      after: dynamic(balancer(THREE, "        passHostHeader: true\n")),
      expected: [],
    },
  ],
  "traefik.weighted.shift": [
    {
      name: "a canary promoted from 10 % to 50 %",
      before: dynamic(balancer(THREE), weighted(9, 1)),
      after: dynamic(balancer(THREE), weighted(1, 1)),
      expected: [
        {
          severity: "medium",
          line: 16,
          phrase: "moves 40% of its traffic between weighted services (v1 90% → 50%",
        },
      ],
    },
    {
      name: "server weights of the same servers",
      before: dynamic(balancer(["http://a:80", "http://b:80"])),
      after: dynamic(
        `      loadBalancer:\n        servers:\n        - url: http://a:80\n          weight: 1\n        - url: http://b:80\n          weight: 4\n`,
      ),
      expected: [
        {
          severity: "medium",
          line: 10,
          phrase: "moves 30% of its traffic between servers (http://a:80 50% → 20%",
        },
      ],
    },
    {
      name: "a small step (10 % → 20 %) does not fire",
      before: dynamic(balancer(THREE), weighted(9, 1)),
      after: dynamic(balancer(THREE), weighted(8, 2)),
      expected: [],
    },
  ],
  "traefik.mirroring.changed": [
    {
      name: "the main service changes",
      before: dynamic(balancer(THREE), mirroring("shop", 10)),
      after: dynamic(balancer(THREE), mirroring("shop-v2", 10)),
      expected: [{ severity: "high", line: 15, phrase: "main service shop → shop-v2" }],
    },
    {
      name: "mirroring more traffic",
      before: dynamic(balancer(THREE), mirroring("shop", 10)),
      after: dynamic(balancer(THREE), mirroring("shop", 50)),
      expected: [{ severity: "medium", line: 17, phrase: "mirror shadow 10% → 50% of requests" }],
    },
    {
      name: "mirroring less traffic does not fire",
      before: dynamic(balancer(THREE), mirroring("shop", 50)),
      after: dynamic(balancer(THREE), mirroring("shop", 10)),
      expected: [],
    },
  ],
};

describeFamily({
  family: "traefik",
  rules: TRAEFIK_RULES,
  minRules: 5,
  path: "dynamic.yaml",
  cases: CASES,
});
