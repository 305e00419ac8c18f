import { defineRule } from "../types.js";
import { keptPairsOf } from "../model/aws/elb-resources.js";
import { targetGroupsOf } from "../model/aws/target-groups.js";
import { lowerCase, settingChanges } from "../model/iac/setting-changes.js";
import { transitionFindings } from "../model/transitions.js";

const EFFECT: Record<string, string> = {
  least_outstanding_requests:
    "slow targets get fewer requests, but a new target (with none outstanding) receives a burst",
  round_robin: "every target gets an equal share again, however slow it is",
  weighted_random: "targets are picked at random by weight (with anomaly mitigation if enabled)",
};

/** The routing algorithm decides which target gets each request (default round_robin; docs/lb-facts.md §1b). */
export default defineRule({
  id: "aws.target-group.algorithm-changed",
  family: "aws",
  title: "Target-group load-balancing algorithm changed",
  description:
    "`load_balancing_algorithm_type` (CloudFormation `load_balancing.algorithm.type`) changes between " +
    "round_robin, least_outstanding_requests and weighted_random: the traffic share of every target moves at once.",
  severity: "medium",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const changes = settingChanges(
      keptPairsOf(file, targetGroupsOf),
      (group) => group.algorithm,
      lowerCase,
      "round_robin",
    );
    return transitionFindings(changes, ({ after, was, now }) => ({
      severity: "medium",
      message: `${after.label} routes with ${now} instead of ${was}: ${EFFECT[now] ?? "the share of every target changes"}.`,
      before: was,
      after: now,
      checklist: [
        `Watch per-target request counts and latency of ${after.label} after the switch.`,
      ],
    }));
  },
});
