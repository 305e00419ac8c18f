import { defineRule } from "../types.js";
import { fold } from "../model/traefik/keys.js";
import {
  balancerOf,
  servicePairs,
  servicePath,
  type TraefikService,
} from "../model/traefik/services.js";
import { transitionFindings, transitions, turnedOff } from "../model/transitions.js";
import { safe } from "../model/advice.js";

/** `passHostHeader` is true by default (docs/lb-facts.md §P4); false is a boolean or the string "false". */
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
    const setting = (service: TraefikService) => fold(balancerOf(service), "passHostHeader");
    const moves = transitions(
      servicePairs(file.before, file.after).filter(([, after]) => after.version !== 1),
      // Anything but a false scalar leaves the default (true) in force.
      (service) => {
        const node = setting(service);
        return node?.kind === "scalar" ? passes(node.value) : true;
      },
      (_, after) => ({
        line: setting(after)?.line ?? after.body.line,
        path: servicePath(after, "loadBalancer", "passHostHeader"),
      }),
    );
    return transitionFindings(moves, (move) => {
      if (!turnedOff(move)) return undefined;
      const was = setting(move.before);
      const now = setting(move.after);
      if (now?.kind !== "scalar") return undefined;
      return {
        severity: "high",
        message: `${move.after.label} stops passing the client's Host header to its servers (passHostHeader ${was?.kind === "scalar" ? String(was.value) : "true by default"} → false): servers that route by host name answer 404 or serve the wrong site.${safe("keep `passHostHeader: true` (the default)")}`,
        before: was?.kind === "scalar" ? was.value : true,
        after: now.value,
        checklist: [
          `Confirm the servers of ${move.after.label} do not route or build URLs from the Host header.`,
        ],
      };
    });
  },
});
