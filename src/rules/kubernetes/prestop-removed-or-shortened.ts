import { key } from "../../diff/path.js";
import { formatSeconds } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { behindAwsLoadBalancer } from "../model/kubernetes/draining.js";
import { hasTemplates, objectsOf } from "../model/kubernetes/objects.js";
import {
  BATCH_KINDS,
  containerNamed,
  preStopOf,
  workloadPath,
  workloadsOf,
} from "../model/kubernetes/workloads.js";
import { keptPairsBy } from "../model/pairs.js";
import { safe } from "../model/advice.js";

/**
 * Endpoint removal happens at the same time as shutdown (docs/lb-facts.md §P5a): a preStop sleep keeps
 * the pod serving until kube-proxy, the ingress controller or the cloud load balancer has stopped sending it
 * requests. Without it, or shorter than that mark-down time, requests reach a pod that is shutting down
 * (docs/lb-facts.md §P7 Draining).
 */
export default defineRule({
  id: "kubernetes.prestop.removed-or-shortened",
  family: "kubernetes",
  title: "preStop sleep removed or shortened",
  description:
    "A container's preStop hook is removed (high for a sleep, which exists to outlast endpoint propagation; medium for " +
    "another hook) or its sleep is shortened below the time the load balancer needs to stop sending requests " +
    "(medium): during every rollout and scale-down, requests reach pods that are already shutting down. In a Helm " +
    "template, where an action may now render the hook, a removal is medium.",
  severity: "high",
  params: {
    // Judgement (docs/lb-facts.md §P7 Draining): kube-proxy and ingress controllers see endpoint changes in seconds.
    minPreStopSeconds: {
      default: 5,
      description:
        "A preStop sleep shorter than this does not outlast endpoint propagation (seconds).",
    },
    // Judgement: the AWS Load Balancer Controller deregisters targets through the ELB API, which takes longer.
    minPreStopSecondsAws: {
      default: 15,
      description: "The same floor behind an AWS Load Balancer Controller ALB/NLB (seconds).",
    },
  },
  dialects: ["kubernetes"],
  check(file, params) {
    const findings: Detection[] = [];
    const afterObjects = objectsOf(file.after);
    const afterWorkloads = workloadsOf(afterObjects);
    // In a Helm template the hook may now come from an action the parser cannot see.
    const template = hasTemplates(file.after);
    for (const [old, workload] of keptPairsBy(
      workloadsOf(objectsOf(file.before)),
      afterWorkloads,
      (w) => w.object.id,
    )) {
      if (BATCH_KINDS.has(workload.object.kind)) continue;
      const aws = behindAwsLoadBalancer(workload, afterObjects, afterWorkloads);
      const floor = aws ? params.minPreStopSecondsAws : params.minPreStopSeconds;
      const markDown = aws
        ? "the AWS load balancer deregisters the target"
        : "kube-proxy and ingress controllers drop the endpoint";
      for (const container of workload.containers) {
        const oldContainer = containerNamed(old, container);
        const was = preStopOf(oldContainer);
        if (!oldContainer || !was) continue;
        const now = preStopOf(container);
        const path = workloadPath(
          workload,
          ...container.segments,
          key("lifecycle"),
          key("preStop"),
        );
        const where = `container "${container.name}" in ${workload.object.label}`;
        if (!now) {
          const sleep = was.seconds !== undefined;
          findings.push({
            severity: sleep && !template ? "high" : "medium",
            line: was.line,
            path,
            message: sleep
              ? `preStop sleep of ${formatSeconds(was.seconds!)} removed from ${where}: pods get SIGTERM the moment they start terminating, before ${markDown}, so requests reach pods that are shutting down.${safe(`keep the preStop sleep of ${formatSeconds(was.seconds!)} in "${container.name}"`)}`
              : `preStop hook removed from ${where}: whatever it did before SIGTERM (draining, deregistering) no longer happens.`,
            before: was.seconds ?? "preStop",
            after: null,
            checklist: [
              `Confirm "${container.name}" keeps serving after SIGTERM until it no longer receives requests, or restore the preStop sleep.`,
            ],
          });
          continue;
        }
        if (was.seconds === undefined || now.seconds === undefined) continue;
        if (now.seconds >= was.seconds || now.seconds >= floor) continue;
        findings.push({
          severity: "medium",
          line: now.line,
          path,
          message: `preStop sleep of ${where} cut from ${formatSeconds(was.seconds)} to ${formatSeconds(now.seconds)}, below the ${formatSeconds(floor)} it takes until ${markDown}: requests reach pods that are shutting down.`,
          before: was.seconds,
          after: now.seconds,
          figures: { preStopSleepSecondsBefore: was.seconds, preStopSleepSeconds: now.seconds },
          checklist: [
            `Confirm ${formatSeconds(now.seconds)} covers endpoint propagation for ${workload.object.label} (watch 5xx during a rollout).`,
          ],
        });
      }
    }
    return findings;
  },
});
