import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { type Bind, keptListeners, listenersOf } from "../model/proxy-listeners.js";
import { safe } from "../model/advice.js";

const identity = (bind: Bind): string => `${bind.protocol}:${bind.address}`;
const show = (bind: Bind): string => `${bind.address}${bind.protocol === "udp" ? "/udp" : ""}`;

/**
 * Clients, DNS records, firewalls and upstream load balancers point at a listener's address and port; moving it,
 * or changing what the port speaks (PROXY protocol, HAProxy mode), breaks them (docs/lb-facts.md §1b force-new
 * port/protocol and `proxy_protocol_v2` flips, judgement). Kubernetes Service and Ingress ports belong to
 * kubernetes.service.port-changed and kubernetes.ingress.backend-changed; cloud listeners to the cloud families.
 */
export default defineRule({
  id: "generic.port-or-protocol.changed",
  family: "generic",
  title: "Listener port or protocol changed",
  description:
    "An nginx `listen`, HAProxy `bind`, Envoy listener address or Traefik entryPoint address moves to another port or " +
    "address (high; critical when every address of the listener moves at once), a Traefik entryPoint is removed " +
    "(high), stops listening on one of several (medium) or on its only one (critical), switches TCP/UDP, starts or " +
    "stops expecting a PROXY protocol header, or an HAProxy frontend changes `mode` (high): clients, DNS records and " +
    "load balancers in front still use the old one. Kubernetes objects are judged by the kubernetes family.",
  severity: "high",
  params: {},
  dialects: ["nginx", "haproxy", "envoy", "traefik"],
  check(file) {
    const findings: Detection[] = [];
    const everywhere = (tree: typeof file.after) =>
      new Set(listenersOf(file.dialect, tree).flatMap((listener) => listener.binds.map(identity)));
    const allBefore = everywhere(file.before);
    const allAfter = everywhere(file.after);
    // A Traefik entryPoint deleted: the routers bound to it stop receiving traffic (named nginx, HAProxy and Envoy
    // listeners deleted are generic.lb-resource.deleted's and nginx.route.removed's).
    if (file.dialect === "traefik" && file.after) {
      const kept = new Set(listenersOf(file.dialect, file.after).map((listener) => listener.key));
      for (const gone of listenersOf(file.dialect, file.before)) {
        if (kept.has(gone.key) || gone.binds.length === 0) continue;
        const still = gone.binds.filter((bind) => allAfter.has(identity(bind)));
        if (still.length === gone.binds.length) continue;
        findings.push({
          severity: "high",
          line: gone.line,
          path: gone.path,
          message:
            `${gone.label} (${gone.binds.map(show).join(", ")}) is removed: routers bound to it stop receiving traffic, and clients of ${gone.binds.map(show).join(", ")} can no longer connect. ` +
            `Safe: keep ${gone.label} with \`address: "${gone.binds[0]!.text.replace(/^address /, "")}"\` until nothing uses it.`,
          before: gone.binds.map((bind) => bind.text),
          after: null,
          checklist: [`Confirm no router, client or load balancer still uses ${gone.label}.`],
        });
      }
    }
    for (const [before, after] of keptListeners(file.dialect, file.before, file.after)) {
      // Positional listeners re-pair when blocks are reordered: an address still served elsewhere did not move.
      const positional = before.positional === true || after.positional === true;
      const nowIds = new Set(positional ? allAfter : after.binds.map(identity));
      const wasIds = new Set(positional ? allBefore : before.binds.map(identity));
      const removed = before.binds.filter((bind) => !nowIds.has(identity(bind)));
      const added = after.binds.filter((bind) => !wasIds.has(identity(bind)));
      // Every address of the listener moves at once: all of its traffic is affected together (docs/risk.md, critical).
      const everyBind = removed.length > 0 && removed.length === before.binds.length;
      removed.forEach((was, index) => {
        const now = added[index];
        const severity: Severity =
          (now || after.binds.length === 0) && everyBind && index === 0
            ? "critical"
            : now || after.binds.length === 0
              ? "high"
              : "medium";
        findings.push({
          severity,
          line: now?.line ?? was.line,
          path: after.path,
          message: now
            ? `${after.label} moves from ${show(was)} to ${show(now)} (${was.text} → ${now.text})${severity === "critical" ? ", every address it listened on at once" : ""}: clients, DNS records, firewalls and load balancers that still use ${show(was)} can no longer connect.${safe(`keep \`${was.text}\`, and add \`${now.text}\` beside it until clients have moved`)}`
            : `${after.label} no longer listens on ${show(was)} (${was.text} removed)` +
              (after.binds.length > 0
                ? `: clients that use it fail, while ${after.binds.map(show).join(", ")} remain${after.binds.length === 1 ? "s" : ""}.`
                : ": clients that use it fail.") +
              safe(`keep \`${was.text}\` until nothing uses it`),
          before: was.text,
          after: now?.text ?? null,
          checklist: [
            `Confirm nothing (clients, DNS, firewall rules, an upstream load balancer, health checks) still targets ${show(was)}.`,
          ],
        });
      });
      for (const now of after.binds) {
        const was = before.binds.find((bind) => identity(bind) === identity(now));
        if (!was || was.proxyProtocol === now.proxyProtocol) continue;
        findings.push({
          severity: "high",
          line: now.line,
          path: after.path,
          message: now.proxyProtocol
            ? `${after.label} on ${show(now)} now expects a PROXY protocol header first: clients and load balancers that do not send one fail to connect.${safe(`keep \`${was.text}\` until every client sends the header`)}`
            : `${after.label} on ${show(now)} no longer expects a PROXY protocol header: a load balancer that still sends one breaks every request.${safe(`keep \`${was.text}\` until the load balancer stops sending it`)}`,
          before: was.text,
          after: now.text,
          checklist: [
            `Confirm the load balancer in front of ${after.label} ${now.proxyProtocol ? "sends" : "stops sending"} the PROXY protocol header in the same release.`,
          ],
        });
      }
      if (before.mode && after.mode && before.mode.value !== after.mode.value) {
        const mode = after.mode.value;
        findings.push({
          severity: "high",
          line: after.mode.line,
          path: `${after.path}.mode`,
          message: `${after.label} switches from mode ${before.mode.value} to mode ${mode}: the same ports are now handled at another layer (HTTP rules, headers and logs ${mode === "http" ? "now apply, and traffic that is not HTTP is rejected" : "stop applying"}).`,
          before: before.mode.value,
          after: mode,
          checklist: [`Confirm every client of ${after.label} speaks what mode ${mode} expects.`],
        });
      }
    }
    return findings;
  },
});
