import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { type LbResource, lbResourcesOf, referenced, stringValues } from "../model/lb-resources.js";
import { safe } from "../model/advice.js";

// What takes client traffic in: HAProxy frontend and listen sections, Envoy listeners, Traefik v1 frontends.
const ACCEPTORS = new Set(["frontend", "listen", "listener"]);

/**
 * Removing a backend drains capacity (docs/risk.md): whatever still points at it (a route, a DNS name,
 * a client) gets errors. In proxy configs a name only matters to what refers to it, so references in the new
 * version and renames (the same content under a new name) decide the severity; a Kubernetes Service or Ingress
 * name is a DNS name and a cloud load balancer, so any removal there is high.
 */
export default defineRule({
  id: "generic.lb-resource.deleted",
  family: "generic",
  title: "Load-balancer resource deleted",
  description:
    "An nginx upstream, a HAProxy backend, listen or frontend section, an Envoy cluster or named listener, a Traefik " +
    "service or router, or a Kubernetes Service, Ingress, Gateway, route or Traefik/Istio routing object is deleted. " +
    "High for Kubernetes objects (clients use their DNS names, and a LoadBalancer Service takes its cloud load balancer " +
    "with it), for proxy objects still referenced in the new version, and for proxy objects deleted with nothing in " +
    "their place (critical when nothing is left to take traffic in: the file's last HAProxy frontend or listen " +
    "section, Envoy listener or Traefik v1 frontend); medium when another object of the same kind appears " +
    "alongside (a rename with edits), low for a pure " +
    "rename whose references were updated. Terraform and CloudFormation deletions belong to the cloud families.",
  severity: "high",
  params: {},
  dialects: ["nginx", "haproxy", "envoy", "traefik", "kubernetes"],
  check(file) {
    const findings: Detection[] = [];
    const before = lbResourcesOf(file.dialect, file.before);
    const after = lbResourcesOf(file.dialect, file.after);
    const afterKeys = new Set(after.map((resource) => resource.key));
    const beforeKeys = new Set(before.map((resource) => resource.key));
    const added = after.filter((resource) => !beforeKeys.has(resource.key));
    const strings = stringValues(file.after);
    // A Traefik file moved from the v1 layout (backends/frontends) to v2 renames everything at once.
    const traefikMigrated =
      before.some((r) => r.traefikVersion === 1) &&
      after.length > 0 &&
      after.every((r) => r.traefikVersion !== 1);
    // Each new object stands in for one deleted object: exact renames first, then by order of appearance.
    const unclaimed = new Set(added);
    const claim = (found: LbResource | undefined): LbResource | undefined => {
      if (found) unclaimed.delete(found);
      return found;
    };
    const deleted = before.filter((resource) => !afterKeys.has(resource.key));
    const renames = new Map(
      deleted.map((gone) => [
        gone.key,
        claim([...unclaimed].find((r) => r.type === gone.type && r.print === gone.print)),
      ]),
    );
    for (const gone of deleted) {
      // A Helm placeholder name may render to the same object: unknowable.
      if (gone.templatedName && added.some((r) => r.type === gone.type && r.templatedName))
        continue;
      if (gone.traefikVersion === 1 && traefikMigrated) continue;
      // HAProxy `listen X` split into `frontend X` + `backend X` (or merged back) keeps the proxy.
      if (file.dialect === "haproxy" && after.some((r) => r.name === gone.name)) continue;
      const renamed = renames.get(gone.key);
      const replacement = renamed ?? claim([...unclaimed].find((r) => r.type === gone.type));
      const kubernetes = file.dialect === "kubernetes";
      const stillReferenced = !kubernetes && file.after !== null && referenced(gone.name, strings);
      let severity: Severity;
      let consequence: string;
      if (kubernetes) {
        severity = "high";
        consequence = replacement
          ? `it is replaced by ${replacement.label}, but clients that use the old name (its DNS name, or its load balancer's address) fail`
          : "anything still sending traffic to it fails";
      } else if (stillReferenced) {
        severity = "high";
        consequence = `the new version still refers to ${gone.name}, so that route fails (or the configuration no longer loads)`;
      } else if (renamed) {
        severity = "low";
        consequence = `it is renamed to ${renamed.name} with the same content, and nothing in this file refers to the old name; references elsewhere (other files, dashboards, runtime API) break`;
      } else if (replacement) {
        severity = "medium";
        consequence = `${replacement.label} appears in its place with different content; check the traffic it served now reaches the new one`;
      } else {
        severity = "high";
        consequence = "anything still sending traffic to it fails";
      }
      // The only listener (HAProxy frontend, Envoy listener) gone with none left: no traffic gets in at all.
      const lastListener =
        severity === "high" &&
        ACCEPTORS.has(gone.type) &&
        file.after !== null &&
        !after.some((resource) => ACCEPTORS.has(resource.type));
      if (lastListener) {
        severity = "critical";
        consequence =
          file.dialect === "traefik"
            ? `it was the only ${gone.type} of the file, so no request is routed any more`
            : `it was the only ${gone.type} of the file, so nothing accepts connections any more`;
      }
      findings.push(
        detection(
          gone,
          severity,
          consequence,
          file.status === "removed" ? file.path : undefined,
          replacement,
        ),
      );
    }
    return findings;
  },
});

function detection(
  gone: LbResource,
  severity: Severity,
  consequence: string,
  removedWith: string | undefined,
  replacement: LbResource | undefined,
): Detection {
  return {
    severity,
    line: gone.line,
    path: gone.path,
    message:
      `${gone.label} is deleted${removedWith ? ` with ${removedWith}` : ""}: ${consequence}.` +
      (severity === "high" || severity === "critical"
        ? safe(
            replacement
              ? `keep "${gone.name}" beside ${replacement.label} until its clients use the new name`
              : `keep "${gone.name}" until nothing refers to it or sends traffic to it`,
          )
        : ""),
    before: gone.name,
    after: replacement?.name ?? null,
    checklist: [
      `Confirm no route, client or DNS name still sends traffic to ${gone.label} (or that it moved to another file in this PR).`,
    ],
  };
}
