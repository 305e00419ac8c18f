import { defineRule, type Detection } from "../types.js";
import { fold } from "../model/traefik/keys.js";
import { balancerOf, servicePairs, servicePath } from "../model/traefik/services.js";

/** `passHostHeader` is true by default (LB-FACTS.md §4); false is a boolean or the string "false". */
const passes = (value: unknown): boolean =>
  !(value === false || String(value).toLowerCase() === "false");

/** With passHostHeader off, servers see their own host name: virtual-host routing behind Traefik breaks. */
export default defineRule({
  id: "traefik.pass-host-header.disabled",
  family: "traefik",
  title: "passHostHeader turned off",
  description:
    "A load balancer's passHostHeader goes from true (the default) to false: servers receive their own address " +
    "in the Host header instead of the client's. Servers that route by host name (virtual hosts, another proxy, " +
    "an ingress, object storage) answer 404 or the wrong site, and absolute redirects point at internal names.",
  severity: "high",
  params: {},
  dialects: ["traefik"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of servicePairs(file.before, file.after)) {
      if (after.version === 1) continue;
      const was = fold(balancerOf(before), "passHostHeader");
      const now = fold(balancerOf(after), "passHostHeader");
      if (now?.kind !== "scalar" || passes(now.value)) continue;
      if (was?.kind === "scalar" && !passes(was.value)) continue;
      findings.push({
        severity: "high",
        line: now.line,
        path: servicePath(after, "loadBalancer", "passHostHeader"),
        message: `${after.label} stops passing the client's Host header to its servers (passHostHeader ${was?.kind === "scalar" ? String(was.value) : "true by default"} → false): servers that route by host name answer 404 or serve the wrong site.`,
        before: was?.kind === "scalar" ? was.value : true,
        after: now.value,
        checklist: [
          `Confirm the servers of ${after.label} do not route or build URLs from the Host header.`,
        ],
      });
    }
    return findings;
  },
});
