import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { type Exposure, exposuresOf, isWorld, showPorts } from "../model/exposures.js";

function webOnly(exposure: Exposure, webPorts: ReadonlySet<number>): boolean {
  if (exposure.ports === "all" || exposure.ports.length === 0) return false;
  return exposure.ports.every(([low, high]) => {
    for (let port = low; port <= high; port++) if (!webPorts.has(port)) return false;
    return true;
  });
}

/**
 * Inbound rules newly open to any address (0.0.0.0/0, ::/0, Azure `*`/`Internet`): a security change, reported
 * in every format, Terraform and CloudFormation included (this is not a deletion, so the cloud families do not own it).
 */
export default defineRule({
  id: "generic.ingress.world-open",
  family: "generic",
  title: "Inbound access opened to the whole internet",
  description:
    "A security group, firewall or network security rule, a LoadBalancer Service's source ranges (in a manifest or " +
    "a Helm values `type: LoadBalancer` block), an ALB's " +
    "inbound-cidrs or a NetworkPolicy ipBlock now lets any address in (IPv4 `0.0.0.0/0` or IPv6 `::/0`): high, as " +
    "docs/risk.md rates any opening to the world, for a new rule or entity as for a widened allowlist. A new rule that " +
    "opens only the ports listed in `webPorts` (none by default) is medium instead. Removing source ranges counts: " +
    "none means any address.",
  severity: "high",
  params: {
    // Judgement (docs/risk.md, Exposure): a new world-open rule is high even on 80/443, since it is how a new public
    // entry point appears; a team that reviews public load balancers elsewhere can list its web ports here.
    webPorts: {
      default: "",
      description:
        "Comma-separated ports whose opening to the world by a new rule is medium, not high (none by default).",
    },
  },
  dialects: ["terraform", "cloudformation", "kubernetes", "helm-values"],
  check(file, params) {
    const webPorts = new Set(
      String(params.webPorts)
        .split(",")
        .filter((text) => text.trim() !== "")
        .map((text) => Number(text.trim()))
        .filter((port) => Number.isInteger(port)),
    );
    const findings: Detection[] = [];
    const before = exposuresOf(file.dialect, file.before);
    const worldBefore = new Set(before.filter((e) => e.world).map((e) => e.key));
    for (const exposure of exposuresOf(file.dialect, file.after)) {
      if (!exposure.world || worldBefore.has(exposure.key)) continue;
      const owned = before.filter((e) => e.owner === exposure.owner);
      const web = webOnly(exposure, webPorts);
      const restrictedBefore = owned.length > 0 && !owned.some((e) => e.world);
      let severity: Severity | undefined;
      if (restrictedBefore) severity = "high";
      else if (!web) severity = "high";
      else if (owned.length === 0) severity = "medium";
      if (!severity) continue;
      const world = exposure.sources.filter(isWorld).join(", ") || "any address";
      const was = owned.flatMap((e) => e.sources);
      findings.push({
        severity,
        line: exposure.line,
        path: exposure.path,
        message:
          `${exposure.label} now admits ${world} on ${showPorts(exposure.ports)}` +
          (restrictedBefore
            ? `, where it admitted only ${was.length > 0 ? was.join(", ") : "no one"}: the allowlist is gone, so anyone on the internet can connect.`
            : owned.length === 0
              ? ": a new public entry point; anyone on the internet can connect."
              : ": anyone on the internet can connect to these ports.") +
          (severity === "high"
            ? ` Safe: admit only the clients that need it${restrictedBefore && was.length > 0 ? ` (\`${was.join(", ")}\` as before)` : ""}: their CIDR ranges, a prefix list or the load balancer's security group instead of \`${world}\`.`
            : ""),
        before: restrictedBefore ? was.join(", ") : null,
        after: exposure.sources.join(", "),
        figures: { ports: showPorts(exposure.ports) },
        checklist: [
          `Confirm ${exposure.label} is meant to be reachable from the whole internet on ${showPorts(exposure.ports)}, and that what listens there authenticates every request.`,
        ],
      });
    }
    return findings;
  },
});
