import { formatSeconds, toNumber } from "../model/figures.js";
import { defineRule, type Detection, type FileUnderReview } from "../types.js";
import { keptLoadBalancers, type LoadBalancer } from "../model/aws/load-balancers.js";
import { settingChanges } from "../model/iac/setting-changes.js";
import { stringOf } from "../model/iac/settings.js";
import type { Transition } from "../model/transitions.js";

/**
 * The idle timeout closes a connection on which no data moved for that long (default 60 s;
 * LB-FACTS.md §2, §3). Cutting it ends slow responses, uploads, long polls and quiet WebSockets.
 */
export default defineRule({
  id: "aws.load-balancer.idle-timeout-cut",
  family: "aws",
  title: "Load-balancer idle timeout cut",
  description:
    "An Application or Classic load balancer's idle timeout (default 60 s) is lowered: a request whose " +
    "response sends nothing for that long gets a 504, and quiet long polls and WebSockets are dropped. " +
    "Medium when at least halved or below a floor, low otherwise.",
  severity: "medium",
  params: {
    // Judgement: below 30 s, ordinary slow endpoints (reports, exports) start timing out.
    minIdleSeconds: {
      default: 30,
      description: "Idle timeouts below this cut ordinary slow responses (seconds).",
    },
    maxCutRatio: {
      default: 0.5,
      description: "A new timeout at or below this share of the old one is a large cut.",
    },
  },
  dialects: ["terraform", "cloudformation"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const { after, was, now, line, path } of idleTimeoutChanges(file)) {
      if (now >= was) continue;
      const large =
        now <= was * params.maxCutRatio ||
        (now < params.minIdleSeconds && was >= params.minIdleSeconds);
      findings.push({
        severity: large ? "medium" : "low",
        line,
        path,
        message:
          `${after.label} idle timeout cut from ${formatSeconds(was)} to ${formatSeconds(now)}: a response that ` +
          `sends nothing for ${formatSeconds(now)} ends in a 504, and quiet long polls or WebSockets are dropped.`,
        before: was,
        after: now,
        figures: { idleTimeoutSecondsBefore: was, idleTimeoutSeconds: now },
        checklist: [
          `Confirm no endpoint behind ${after.label} stays silent for ${formatSeconds(now)} (slow reports, uploads, streaming, WebSockets without pings).`,
        ],
      });
    }
    return findings;
  },
});

/** Idle-timeout changes that apply: Application and Classic load balancers only (NLB has none here). */
export function idleTimeoutChanges(
  file: Pick<FileUnderReview, "dialect" | "before" | "after">,
): Transition<LoadBalancer, number>[] {
  return settingChanges(
    keptLoadBalancers(file.dialect, file.before, file.after),
    (lb) => lb.idleTimeout,
    toNumber,
  ).filter(({ after }) => after.classic || stringOf(after.lbType) === "application");
}
