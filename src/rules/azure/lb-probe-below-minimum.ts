import { defineRule, type Detection } from "../types.js";
import { type LbProbe, lbProbesOf } from "../model/azure/load-balancers.js";
import { numberOf } from "../model/iac/settings.js";
import { withPrevious } from "../model/pairs.js";

interface Violation {
  readonly id: string;
  readonly message: string;
  readonly line: number;
  readonly path: string | undefined;
  readonly figures: Record<string, number>;
}

/**
 * Azure rejects a probe whose interval is below 5 s or whose interval × number_of_probes is below 10 s,
 * and a probe_threshold outside 1–100 (terraform-provider-azurerm r/lb_probe; docs/lb-facts.md §6a).
 */
export default defineRule({
  id: "azure.lb-probe.below-minimum",
  family: "azure",
  title: "Load-balancer probe below the minimum Azure accepts",
  description:
    "An azurerm_lb_probe is set below what Azure accepts: `interval_in_seconds` under 5, `interval_in_seconds × " +
    "number_of_probes` under 10 s (defaults 15 s and 2), or `probe_threshold` outside 1–100. The deploy will fail.",
  severity: "medium",
  params: {},
  dialects: ["terraform"],
  check(file) {
    const findings: Detection[] = [];
    for (const [previous, probe] of withPrevious(lbProbesOf(file.before), lbProbesOf(file.after))) {
      const old = new Set(previous ? violations(previous).map((v) => v.id) : []);
      for (const violation of violations(probe)) {
        if (old.has(violation.id)) continue; // not introduced by this change
        findings.push({
          severity: "medium",
          line: violation.line,
          path: violation.path ?? probe.path,
          message: `${probe.label}: ${violation.message}: the deploy will fail.`,
          figures: violation.figures,
          checklist: [`Raise the probe settings of ${probe.label} to the minimum Azure accepts.`],
        });
      }
    }
    return findings;
  },
});

/** Each violation's id carries its values, so an unchanged violation is recognised as old. */
function violations(probe: LbProbe): Violation[] {
  const out: Violation[] = [];
  const interval = numberOf(probe.interval);
  const probes = numberOf(probe.numberOfProbes);
  const threshold = numberOf(probe.probeThreshold);
  const written = (kinds: string[]) => kinds.some((kind) => kind === "literal");
  if (interval !== undefined && interval < 5 && written([probe.interval.kind])) {
    out.push({
      id: `interval:${interval}`,
      message: `interval_in_seconds is ${interval}, below the 5 s minimum`,
      line: probe.interval.line,
      path: probe.interval.path,
      figures: { intervalSeconds: interval },
    });
  }
  if (
    interval !== undefined &&
    probes !== undefined &&
    interval * probes < 10 &&
    written([probe.interval.kind, probe.numberOfProbes.kind])
  ) {
    const setting = probe.numberOfProbes.kind === "literal" ? probe.numberOfProbes : probe.interval;
    out.push({
      id: `product:${interval}x${probes}`,
      message: `interval_in_seconds × number_of_probes is ${interval} s × ${probes} = ${interval * probes} s, below the 10 s minimum`,
      line: setting.line,
      path: setting.path,
      figures: {
        intervalSeconds: interval,
        numberOfProbes: probes,
        windowSeconds: interval * probes,
      },
    });
  }
  if (
    threshold !== undefined &&
    (threshold < 1 || threshold > 100) &&
    written([probe.probeThreshold.kind])
  ) {
    out.push({
      id: `threshold:${threshold}`,
      message: `probe_threshold is ${threshold}, outside 1–100`,
      line: probe.probeThreshold.line,
      path: probe.probeThreshold.path,
      figures: { probeThreshold: threshold },
    });
  }
  return out;
}
