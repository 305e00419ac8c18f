import mirroringChanged from "../../../src/rules/traefik/mirroring-changed.js";
import { ruleTable } from "../rule-table.js";
import { THREE, TRAEFIK_PATH, balancer, dynamic } from "./builders.js";

/** A mirroring service `mirrored` in front of `main`, copying `percent` of requests to `shadow`. */
const mirroring = (main: string, percent: number): string => `    mirrored:
      mirroring:
        service: ${main}
        mirrors:
        - name: shadow
          percent: ${percent}
`;

ruleTable(mirroringChanged, {
  path: TRAEFIK_PATH,
  cases: [
    {
      name: "the main service changes",
      before: dynamic(balancer(THREE), mirroring("shop", 10)),
      after: dynamic(balancer(THREE), mirroring("shop-v2", 10)),
      expect: [{ severity: "high", line: 15, phrase: "main service shop → shop-v2" }],
    },
    {
      name: "mirroring more traffic",
      before: dynamic(balancer(THREE), mirroring("shop", 10)),
      after: dynamic(balancer(THREE), mirroring("shop", 50)),
      expect: [{ severity: "medium", line: 17, phrase: "mirror shadow 10% → 50% of requests" }],
    },
    {
      name: "mirroring less traffic does not fire",
      before: dynamic(balancer(THREE), mirroring("shop", 50)),
      after: dynamic(balancer(THREE), mirroring("shop", 10)),
      expect: [],
    },
  ],
});
