import serverRemoved from "../../../src/rules/traefik/server-removed.js";
import { ruleTable } from "../rule-table.js";
import { THREE, TRAEFIK_PATH, balancer, dynamic } from "./builders.js";

ruleTable(serverRemoved, {
  path: TRAEFIK_PATH,
  cases: [
    {
      name: "one of three servers removed is high (before-side line)",
      before: dynamic(balancer(THREE)),
      after: dynamic(balancer(THREE.slice(0, 2))),
      expect: [
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
      expect: [{ severity: "medium", line: 8, phrase: "loses 1 of its 4 servers" }],
    },
    {
      name: "a server replaced by another does not fire",
      before: dynamic(balancer(THREE)),
      after: dynamic(balancer([...THREE.slice(0, 2), "http://10.0.0.9:80"])),
      expect: [],
    },
  ],
});
