import { defineRule } from "../types.js";
import { lbRulesOf } from "../model/azure/load-balancers.js";
import { settingChanges } from "../model/iac/setting-changes.js";
import { toBool } from "../model/iac/settings.js";
import { keptPairs } from "../model/pairs.js";
import { transitionFindings } from "../model/transitions.js";
import { safe } from "../model/advice.js";
import { withRestoreFix } from "../model/fix.js";

/**
 * Floating IP (direct server return) makes backends receive packets addressed to the frontend IP; it
 * must match how every backend is configured (loopback address, SQL Always On listeners). Judgement
 * (docs/lb-facts.md §6b): a flip breaks every backend not reconfigured with it.
 */
export default defineRule({
  id: "azure.lb-rule.floating-ip-flipped",
  family: "azure",
  title: "Load-balancer rule floating IP turned on or off",
  description:
    "`enable_floating_ip` (azurerm v4 `floating_ip_enabled`, default false) flips on an azurerm_lb_rule. On, " +
    "backends receive packets addressed to the frontend IP and drop them unless that IP is configured on them " +
    "(loopback); off, backends built for direct server return (SQL Always On listeners) stop answering.",
  severity: "high",
  params: {},
  dialects: ["terraform"],
  check(file) {
    const changes = settingChanges(
      keptPairs(lbRulesOf(file.before), lbRulesOf(file.after)),
      (rule) => rule.floatingIp,
      toBool,
    );
    const found = transitionFindings(changes, ({ after, was, now }) => ({
      severity: "high",
      message: now
        ? `${after.label} turns floating IP on: backends now receive packets addressed to the frontend IP and drop them unless that IP is configured on a loopback interface.${safe("keep `floating_ip_enabled = false` until every backend has the frontend IP on a loopback interface")}`
        : `${after.label} turns floating IP off: backends configured for direct server return (e.g. SQL Always On listeners) stop answering.${safe("keep `floating_ip_enabled = true` while backends use direct server return")}`,
      before: was,
      after: now,
      checklist: [
        `Confirm every backend of ${after.label} is reconfigured for floating IP ${now ? "on" : "off"} in the same rollout.`,
      ],
    }));
    return found.map((detection) =>
      withRestoreFix(file, detection, ["floating_ip_enabled", "enable_floating_ip"]),
    );
  },
});
