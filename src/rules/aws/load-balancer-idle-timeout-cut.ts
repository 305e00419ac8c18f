import { formatSeconds, toNumber } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { keptLoadBalancers, type LoadBalancer } from "./elb-model.js";
import { stringOf, valuesOf } from "./iac-settings.js";

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
    for (const [before, after] of keptLoadBalancers(file.dialect, file.before, file.after)) {
      const change = idleTimeoutChange(before, after);
      if (!change || change.now >= change.was) continue;
      const { was, now } = change;
      const large =
        now <= was * params.maxCutRatio ||
        (now < params.minIdleSeconds && was >= params.minIdleSeconds);
      const setting = after.idleTimeout;
      findings.push({
        severity: large ? "medium" : "low",
        line: setting.line,
        path: setting.path ?? after.path,
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

/** Idle timeouts that apply: Application and Classic load balancers only (NLB has none here). */
export function idleTimeoutChange(
  before: LoadBalancer,
  after: LoadBalancer,
): { was: number; now: number } | undefined {
  if (!after.classic && stringOf(after.lbType) !== "application") return undefined;
  const values = valuesOf(before.idleTimeout, after.idleTimeout);
  const was = toNumber(values?.[0]);
  const now = toNumber(values?.[1]);
  return was === undefined || now === undefined || was === now ? undefined : { was, now };
}
