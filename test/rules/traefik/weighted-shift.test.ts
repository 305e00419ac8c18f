import weightedShift from "../../../src/rules/traefik/weighted-shift.js";
import { ruleTable } from "../rule-table.js";
import { THREE, TRAEFIK_PATH, balancer, dynamic } from "./builders.js";

/** A weighted service `canary` over `v1` and `v2` (its entries start at line 16 after a 3-server shop). */
const weighted = (v1: number, v2: number): string => `    canary:
      weighted:
        services:
        - name: v1
          weight: ${v1}
        - name: v2
          weight: ${v2}
`;

ruleTable(weightedShift, {
  path: TRAEFIK_PATH,
  cases: [
    {
      name: "a canary promoted from 10 % to 50 %",
      before: dynamic(balancer(THREE), weighted(9, 1)),
      after: dynamic(balancer(THREE), weighted(1, 1)),
      expect: [
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
      expect: [
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
      expect: [],
    },
  ],
});
