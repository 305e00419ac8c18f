import { itemsOf } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import { maxSeverity, type Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { fold, scalarFold } from "../model/traefik/keys.js";
import { servicePairs, servicePath } from "../model/traefik/services.js";
import { safe } from "../model/advice.js";

/** Mirror name → percent (0, nothing mirrored, when unset: docs/lb-facts.md §P4). */
function mirrors(block: ReturnType<typeof fold>): Map<string, { percent: number; line: number }> {
  const out = new Map<string, { percent: number; line: number }>();
  for (const entry of itemsOf(fold(block, "mirrors"))) {
    const name = scalarFold(entry, "name");
    if (typeof name === "string")
      out.set(name, { percent: toNumber(scalarFold(entry, "percent")) ?? 0, line: entry.line });
  }
  return out;
}

/** Mirroring sends copies of live requests elsewhere; its main service carries every real response. */
export default defineRule({
  id: "traefik.mirroring.changed",
  family: "traefik",
  title: "Mirroring service retargeted or mirroring more traffic",
  description:
    "A mirroring service changes its main service (all real traffic of its routers moves: high), or mirrors more " +
    "traffic (a new mirror or a higher percent: the mirror target takes the extra load, and mirrored writes " +
    "are executed there too: medium), or drops its maxBodySize (request bodies are buffered whole: low).",
  severity: "high",
  params: {},
  dialects: ["traefik"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of servicePairs(file.before, file.after)) {
      const was = fold(before.body, "mirroring");
      const now = fold(after.body, "mirroring");
      if (!was || !now) continue;
      const reasons: { severity: Severity; text: string; line: number }[] = [];
      const mainWas = scalarFold(was, "service");
      const mainNow = scalarFold(now, "service");
      if (mainWas !== mainNow)
        reasons.push({
          severity: "high",
          text: `main service ${String(mainWas)} → ${String(mainNow)}: every real request (and response) now comes from ${String(mainNow)}`,
          line: fold(now, "service")?.line ?? now.line,
        });
      const mirrorsWas = mirrors(was);
      for (const [name, mirror] of mirrors(now)) {
        const old = mirrorsWas.get(name)?.percent ?? 0;
        if (mirror.percent <= old) continue;
        reasons.push({
          severity: "medium",
          text: `mirror ${name} ${old}% → ${mirror.percent}% of requests: ${name} takes that much extra load, and mirrored writes (POST, PUT) run there too`,
          line: mirror.line,
        });
      }
      const bodyWas = toNumber(scalarFold(was, "maxBodySize"));
      const bodyNow = toNumber(scalarFold(now, "maxBodySize"));
      if (bodyWas !== undefined && bodyWas >= 0 && (bodyNow === undefined || bodyNow < 0))
        reasons.push({
          severity: "low",
          text: `maxBodySize ${bodyWas} removed: request bodies are buffered whole in memory to be mirrored`,
          line: now.line,
        });
      if (reasons.length === 0) continue;
      findings.push({
        severity: maxSeverity(reasons.map((reason) => reason.severity)),
        line: reasons[0]!.line,
        path: servicePath(after, "mirroring"),
        message: `${after.label} mirroring: ${reasons.map((reason) => reason.text).join("; ")}.${mainWas !== mainNow && reasons.some((reason) => reason.severity === "high") ? safe(`keep service "${String(mainWas)}" as the main service, and mirror to "${String(mainNow)}" instead`) : ""}`,
        before: {
          service: mainWas ?? null,
          mirrors: Object.fromEntries([...mirrorsWas].map(([n, m]) => [n, m.percent])),
        },
        after: {
          service: mainNow ?? null,
          mirrors: Object.fromEntries([...mirrors(now)].map(([n, m]) => [n, m.percent])),
        },
        checklist: [
          `Confirm the services behind ${after.label} (main and mirrors) are sized for their new traffic, and that mirrors do not write to shared data.`,
        ],
      });
    }
    return findings;
  },
});
