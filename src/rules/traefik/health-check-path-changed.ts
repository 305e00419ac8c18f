import { defineRule, type Detection } from "../types.js";
import { scalarFold } from "../model/traefik/keys.js";
import {
  healthCheckOf,
  runsHealthCheck,
  servicePairs,
  servicePath,
  shown,
} from "../model/traefik/services.js";
import { safe } from "../model/advice.js";

// healthCheck fields that decide what is probed and what passes (traefik dynamic config; docs/lb-facts.md §P4).
const TARGET_FIELDS = ["path", "port", "hostname", "scheme", "mode", "method", "status"];

/** Traefik has no thresholds: one failed check marks a server DOWN, so a wrong target empties the pool at once. */
export default defineRule({
  id: "traefik.health-check.path-changed",
  family: "traefik",
  title: "Health check path, port or expectation changed",
  description:
    "A service's active health check probes another path, port, hostname, scheme, mode or method, or expects " +
    "another status. Traefik marks a server DOWN after one failed check, so if the new target fails everywhere " +
    "every server goes DOWN within one interval and Traefik answers 503.",
  severity: "high",
  params: {},
  dialects: ["traefik"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of servicePairs(file.before, file.after)) {
      if (!runsHealthCheck(before) || !runsHealthCheck(after)) continue;
      const was = healthCheckOf(before);
      const now = healthCheckOf(after)!;
      const changed = TARGET_FIELDS.filter(
        (name) => shown(scalarFold(was, name)) !== shown(scalarFold(now, name)),
      );
      if (changed.length === 0) continue;
      const what = changed
        .map((name) => `${name} ${shown(scalarFold(was, name))} → ${shown(scalarFold(now, name))}`)
        .join(", ");
      findings.push({
        severity: "high",
        line: now.line,
        path: servicePath(after, ...(after.version === 1 ? [] : ["loadBalancer"]), "healthCheck"),
        message: `the health check of ${after.label} changes ${what}: one failed check marks a server DOWN, so if the new target fails on every server the service answers 503 within one interval.${safe(`keep ${changed.map((name) => `${name} ${JSON.stringify(scalarFold(was, name) ?? null)}`).join(", ")} until every server answers the new check`)}`,
        before: Object.fromEntries(changed.map((name) => [name, scalarFold(was, name) ?? null])),
        after: Object.fromEntries(changed.map((name) => [name, scalarFold(now, name) ?? null])),
        checklist: [
          `Request the new check target on every server of ${after.label} and confirm it passes.`,
        ],
      });
    }
    return findings;
  },
});
