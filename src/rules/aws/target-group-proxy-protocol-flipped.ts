import { defineRule } from "../types.js";
import { keptPairsOf } from "../model/aws/elb-resources.js";
import { targetGroupsOf } from "../model/aws/target-groups.js";
import { settingChanges } from "../model/iac/setting-changes.js";
import { toBool } from "../model/iac/settings.js";
import { transitionFindings } from "../model/transitions.js";
import { safe } from "../model/advice.js";

/**
 * Proxy protocol v2 prepends a header to every connection (NLB). Targets must be configured for it
 * in lockstep: a mismatch breaks every connection (docs/lb-facts.md §1b; §7: a proxy_protocol_v2 flip is high).
 */
export default defineRule({
  id: "aws.target-group.proxy-protocol-flipped",
  family: "aws",
  title: "Proxy protocol v2 turned on or off",
  description:
    "`proxy_protocol_v2` (CloudFormation `proxy_protocol_v2.enabled`) flips. Turned on, every connection " +
    "starts with a PROXY v2 header that targets not expecting it treat as garbage; turned off, targets that " +
    "require the header reject connections (or log the load balancer as the client).",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const changes = settingChanges(
      keptPairsOf(file, targetGroupsOf),
      (group) => group.proxyProtocolV2,
      toBool,
    );
    return transitionFindings(changes, ({ after, was, now }) => ({
      severity: "high",
      message: now
        ? `${after.label} now sends a PROXY protocol v2 header on every connection: targets that do not expect it fail every request.${safe(`keep proxy_protocol_v2 = ${was} until the targets accept the header`)}`
        : `${after.label} stops sending the PROXY protocol v2 header: targets that require it reject connections or lose the client address.${safe(`keep proxy_protocol_v2 = ${was} until the targets stop requiring the header`)}`,
      before: was,
      after: now,
      checklist: [
        `Confirm the servers behind ${after.label} switch their proxy-protocol setting in the same rollout.`,
      ],
    }));
  },
});
