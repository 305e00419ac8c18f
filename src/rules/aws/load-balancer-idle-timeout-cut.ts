import { idleTimeoutChanges } from "../model/aws/load-balancers.js";
import { formatSeconds } from "../model/figures.js";
import { transitionFindings } from "../model/transitions.js";
import { defineRule } from "../types.js";

/**
 * The idle timeout closes a connection on which no data moved for that long (default 60 s;
 * docs/lb-facts.md §2, §3). Cutting it ends slow responses, uploads, long polls and quiet WebSockets.
 */
export default defineRule({
  id: "aws.load-balancer.idle-timeout-cut",
  family: "aws",
  title: "Load-balancer idle timeout cut",
  description:
    "An Application or Classic load balancer's idle timeout (default 60 s) is lowered: a request whose " +
    "response sends nothing for that long gets a 504, and quiet long polls and WebSockets are dropped. " +
    'High when cut by 5× or more (docs/risk.md "Connections are cut"), medium when at least halved or below a ' +
    "floor, low otherwise.",
  severity: "high",
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
    // docs/risk.md "Connections are cut": cut sharply = by five times or more, as for drains.
    highCutRatio: {
      default: 0.2,
      description:
        "A new timeout at or below this share of the old one (cut by 5× or more) is high.",
    },
  },
  dialects: ["terraform", "cloudformation"],
  check(file, params) {
    return transitionFindings(idleTimeoutChanges(file), ({ after, was, now }) => {
      if (now >= was) return undefined;
      const large =
        now <= was * params.maxCutRatio ||
        (now < params.minIdleSeconds && was >= params.minIdleSeconds);
      const sharp = now <= was * params.highCutRatio;
      return {
        severity: sharp ? "high" : large ? "medium" : "low",
        message:
          `${after.label} idle timeout cut from ${formatSeconds(was)} to ${formatSeconds(now)}: a response that ` +
          `sends nothing for ${formatSeconds(now)} ends in a 504, and quiet long polls or WebSockets are dropped.` +
          (sharp
            ? ` Safe: keep the idle timeout at ${formatSeconds(was)} as before, or above ${formatSeconds(was * params.highCutRatio)} and the longest silent response.`
            : ""),
        before: was,
        after: now,
        figures: { idleTimeoutSecondsBefore: was, idleTimeoutSeconds: now },
        checklist: [
          `Confirm no endpoint behind ${after.label} stays silent for ${formatSeconds(now)} (slow reports, uploads, streaming, WebSockets without pings).`,
        ],
      };
    });
  },
});
