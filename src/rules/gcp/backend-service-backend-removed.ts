import { defineRule, type Detection } from "../types.js";
import { type Backend, backendServicesOf } from "../model/gcp/backend-services.js";
import { keptPairs } from "../model/pairs.js";
import { safe } from "../model/advice.js";

/** Removing a backend (or scaling its capacity to 0) drains its share of traffic onto the others. */
export default defineRule({
  id: "gcp.backend-service.backend-removed",
  family: "gcp",
  title: "Backend removed from a backend service",
  description:
    "A `backend` block (an instance group or NEG) leaves a backend service, or its `capacity_scaler` drops to 0: " +
    "its traffic moves to the remaining backends at once. High when no backend is left or at least a third of " +
    "them go; medium otherwise, or when the backend is replaced by a new group (which must be warm and healthy).",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Capacity ("more than a third of the servers disabled").
    maxRemovedShare: {
      default: 1 / 3,
      description: "Removing at least this share of the backends at once is high.",
    },
  },
  dialects: ["terraform"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of keptPairs(
      backendServicesOf(file.before),
      backendServicesOf(file.after),
    )) {
      if (!before.backends || !after.backends) continue;
      const activeBefore = active(before.backends);
      const activeAfter = active(after.backends);
      if (!activeBefore || !activeAfter) continue;
      const removed = [...activeBefore.keys()].filter((group) => !activeAfter.has(group));
      if (removed.length === 0) continue;
      const added = [...activeAfter.keys()].filter((group) => !activeBefore.has(group));
      const share = removed.length / activeBefore.size;
      const replaced = added.length >= removed.length;
      const severity =
        !replaced && (activeAfter.size === 0 || share >= params.maxRemovedShare)
          ? "high"
          : "medium";
      const names = removed.map(display).join(", ");
      const drained = removed.filter((group) =>
        after.backends!.some((backend) => backend.group === group),
      );
      const how = drained.length > 0 ? "removed or scaled to capacity 0" : "removed";
      findings.push({
        severity,
        line: after.backends.find((b) => drained.includes(b.group))?.capacityLine ?? after.line,
        path: after.path,
        message:
          (replaced
            ? `${after.label} swaps backend ${names} for ${added.map(display).join(", ")}: its traffic moves to the new group as soon as the change applies.`
            : activeAfter.size === 0
              ? `${after.label} has no serving backend left (${names} ${how}): every request fails.`
              : `${after.label} loses ${removed.length} of ${activeBefore.size} backends (${names} ${how}): ` +
                `their ${Math.round(share * 100)}% of traffic moves onto the ${activeAfter.size} left.`) +
          (severity === "high"
            ? safe(
                replaced
                  ? `keep backend ${names} beside ${added.map(display).join(", ")} until the new group serves, then remove it`
                  : `keep backend ${names} (capacity_scaler 1) until the ${activeAfter.size} others are scaled to carry its ${Math.round(share * 100)}% of traffic`,
              )
            : ""),
        // A swap keeps the count: show the groups.
        before: replaced ? names : activeBefore.size,
        after: replaced ? added.map(display).join(", ") : activeAfter.size,
        figures: {
          backendsBefore: activeBefore.size,
          backends: activeAfter.size,
          removedShare: Math.round(share * 100) / 100,
        },
        checklist: replaced
          ? [
              `Confirm the new group of ${after.label} is healthy and sized before the old one goes.`,
            ]
          : [
              `Confirm the remaining backends of ${after.label} can absorb the extra load (autoscaler limits, quotas).`,
            ],
      });
    }
    return findings;
  },
});

/** Backends that take traffic, by group; undefined when a capacity is unknowable. */
function active(backends: readonly Backend[]): Map<string, Backend> | undefined {
  const out = new Map<string, Backend>();
  for (const backend of backends) {
    if (backend.capacityScaler === undefined) return undefined;
    if (backend.capacityScaler > 0) out.set(backend.group, backend);
  }
  return out;
}

/** `google_compute_instance_group_manager.web.instance_group` rather than `${...}`. */
function display(group: string): string {
  return /^\$\{(.+)\}$/.exec(group)?.[1] ?? group;
}
