import { child, entriesOf } from "../../formats/tree.js";
import { defineRule } from "../types.js";
import { lbRulesOf } from "../model/azure/load-balancers.js";
import { settingChanges } from "../model/iac/setting-changes.js";
import { toBool } from "../model/iac/settings.js";
import { keptPairs } from "../model/pairs.js";
import { transitionFindings } from "../model/transitions.js";
import { safe } from "../model/advice.js";
import { withRestoreFix } from "../model/fix.js";

/** Resources that give backends another way out to the internet. */
const OUTBOUND = [
  "azurerm_lb_outbound_rule",
  "azurerm_nat_gateway",
  "azurerm_subnet_nat_gateway_association",
];

/**
 * With disable_outbound_snat the rule's frontend IP no longer translates the backends' outbound
 * connections. Judgement (docs/lb-facts.md §6b): without an outbound rule or NAT gateway they lose access.
 */
export default defineRule({
  id: "azure.lb-rule.outbound-snat-disabled",
  family: "azure",
  title: "Load-balancer rule stops providing outbound SNAT",
  description:
    "`disable_outbound_snat` goes from false to true on an azurerm_lb_rule: backends no longer reach the " +
    "internet through the rule's frontend IP. High when the file defines no outbound rule or NAT gateway " +
    "to replace it, medium when it does (check it covers the same backends).",
  severity: "high",
  params: {},
  dialects: ["terraform"],
  check(file) {
    const replacement = OUTBOUND.some(
      (type) => entriesOf(child(child(file.after, "resource"), type)).length > 0,
    );
    const changes = settingChanges(
      keptPairs(lbRulesOf(file.before), lbRulesOf(file.after)),
      (rule) => rule.disableOutboundSnat,
      toBool,
    );
    const found = transitionFindings(changes, ({ after, was, now }) =>
      was === false && now === true
        ? {
            severity: replacement ? "medium" : "high",
            message: replacement
              ? `${after.label} stops providing outbound SNAT: backends must now go out through the outbound rule or NAT gateway defined in this file.`
              : `${after.label} stops providing outbound SNAT and this file defines no outbound rule or NAT gateway: backends may lose outbound internet access (package mirrors, APIs, license servers).${safe("keep `disable_outbound_snat = false`, or add an `azurerm_lb_outbound_rule` or NAT gateway in the same change")}`,
            before: false,
            after: true,
            checklist: [
              `Confirm the backend pool of ${after.label} has an outbound rule, NAT gateway or public IPs for outbound traffic.`,
            ],
          }
        : undefined,
    );
    return found.map((detection) => withRestoreFix(file, detection, ["disable_outbound_snat"]));
  },
});
