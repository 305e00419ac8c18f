import { defineRule } from "../types.js";
import { backendServicesOf } from "../model/gcp/backend-services.js";
import { settingChanges, upperCase } from "../model/iac/setting-changes.js";
import { stringOf } from "../model/iac/settings.js";
import { keptPairs } from "../model/pairs.js";
import { transitionFindings } from "../model/transitions.js";
import { safe } from "../model/advice.js";

/** Policies that hash requests to backends: session affinity only works with these (provider docs). */
const HASHING = new Set(["RING_HASH", "MAGLEV", "WEIGHTED_MAGLEV"]);

/**
 * locality_lb_policy picks the backend endpoint for each request (docs/lb-facts.md §5b). The provider
 * documents that with session_affinity set and a policy other than MAGLEV, WEIGHTED_MAGLEV or
 * RING_HASH, "session affinity settings will not take effect".
 */
export default defineRule({
  id: "gcp.backend-service.locality-policy-changed",
  family: "gcp",
  title: "Backend-service locality load-balancing policy changed",
  description:
    "`locality_lb_policy` changes (ROUND_ROBIN, LEAST_REQUEST, RING_HASH, RANDOM, MAGLEV, ...): each endpoint's " +
    "share of requests moves at once (medium). High when the service has session affinity and the policy leaves " +
    "the hashing ones (RING_HASH, MAGLEV, WEIGHTED_MAGLEV): affinity then silently stops working.",
  severity: "high",
  params: {},
  dialects: ["terraform"],
  check(file) {
    const changes = settingChanges(
      keptPairs(backendServicesOf(file.before), backendServicesOf(file.after)),
      (service) => service.localityPolicy,
      upperCase,
    );
    return transitionFindings(changes, ({ after, was, now }) => {
      const affinity = stringOf(after.sessionAffinity)?.toUpperCase();
      const affinityLost =
        affinity !== undefined && affinity !== "NONE" && HASHING.has(was) && !HASHING.has(now);
      return {
        severity: affinityLost ? "high" : "medium",
        message: affinityLost
          ? `${after.label} moves from ${was} to ${now} while session_affinity is ${affinity}: affinity only takes effect with a hashing policy, so clients stop sticking to their backend.${safe(`keep locality_lb_policy = "${was}" while session_affinity is "${affinity}"`)}`
          : `${after.label} balances with ${now} instead of ${was}: the share of requests each endpoint gets changes at once.`,
        before: was,
        after: now,
        checklist: affinityLost
          ? [
              `Confirm the clients of ${after.label} keep no state on one backend, or keep a hashing policy.`,
            ]
          : [`Watch per-backend load and latency of ${after.label} after the switch.`],
      };
    });
  },
});
