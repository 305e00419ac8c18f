import passHostHeaderDisabled from "../../../src/rules/traefik/pass-host-header-disabled.js";
import { ruleTable } from "../rule-table.js";
import { THREE, TRAEFIK_PATH, balancer, dynamic } from "./builders.js";

ruleTable(passHostHeaderDisabled, {
  path: TRAEFIK_PATH,
  cases: [
    {
      name: "turned off where it was the default",
      before: dynamic(balancer(THREE)),
      after: dynamic(balancer(THREE, "        passHostHeader: false\n")),
      expect: [{ severity: "high", line: 13, phrase: "passHostHeader true by default → false" }],
    },
    {
      name: "turned on does not fire",
      before: dynamic(balancer(THREE, "        passHostHeader: false\n")),
      after: dynamic(balancer(THREE, "        passHostHeader: true\n")),
      expect: [],
    },
  ],
});
