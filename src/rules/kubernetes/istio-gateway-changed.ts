import { item, key } from "../../diff/path.js";
import { pairBy } from "../model/pairs.js";
import { defineRule, type Detection } from "../types.js";
import {
  gatewayServers,
  isIstio,
  isWildcardHost,
  type GatewayServer,
} from "../model/kubernetes/istio.js";
import { keptObjects, objectPath, type KubernetesObject } from "../model/kubernetes/objects.js";

// TLS modes in which the gateway itself terminates TLS with the certificate it is given (istio.io Gateway reference,
// docs/lb-facts.md §P5c): leaving them hands clients someone else's handshake (PASSTHROUGH) or a mesh certificate.
const TERMINATING = new Set(["SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL"]);

const TLS_ORDER = ["TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"];
// TLS_AUTO on a server side is TLS 1.2 as the minimum (Envoy's server default, docs/lb-facts.md §P5c).
const minimumOf = (server: GatewayServer): string =>
  server.minProtocolVersion && server.minProtocolVersion !== "TLS_AUTO"
    ? server.minProtocolVersion
    : "TLSV1_2";

/**
 * A Gateway's servers are the mesh's listeners (docs/risk.md: traffic goes nowhere, exposure, TLS). A server's
 * port moved or removed, its hosts widened to `*`, its TLS mode or minimum version changed, or its HTTPS
 * redirect dropped.
 */
export default defineRule({
  id: "kubernetes.istio.gateway-changed",
  family: "kubernetes",
  title: "Istio Gateway listener moved, widened or weakened",
  description:
    "An Istio Gateway server (a listener of the ingress gateway) moves to another port or protocol or is removed, " +
    "its hosts widen to `*` (every host name the gateway receives is now admitted), its TLS mode leaves SIMPLE/MUTUAL " +
    "(PASSTHROUGH, ISTIO_MUTUAL: clients no longer get the gateway's certificate), its minimum TLS version changes, or " +
    "its `httpsRedirect` is dropped (plain HTTP is served instead of redirected): high. A server added beside the old " +
    "ones is not reported; a deleted Gateway is generic.lb-resource.deleted's.",
  severity: "high",
  params: {},
  dialects: ["kubernetes"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of keptObjects(file.before, file.after)) {
      if (!isIstio(before, "Gateway") || !isIstio(after, "Gateway")) continue;
      const oldServers = gatewayServers(before);
      const newServers = gatewayServers(after);
      const ports = new Set(newServers.map((server) => server.port));
      const pairs = pairBy(oldServers, newServers, (server) => server.key);
      const unmatched = pairs.filter(([was, now]) => was && !now).map(([was]) => was!);
      const added = pairs.filter(([was, now]) => !was && now).map(([, now]) => now!);
      unmatched.forEach((was, index) => {
        // A server re-keyed but still on the same port with the same protocol is the same listener.
        const same = newServers.find(
          (now) => now.port === was.port && now.protocol === was.protocol,
        );
        if (same) {
          findings.push(...compare(after, was, same));
          return;
        }
        const now = added[index];
        findings.push(
          now
            ? listenerMoved(after, was, now)
            : {
                severity: "high",
                line: was.line,
                path: serverPath(after, was),
                message:
                  `${after.label} no longer listens on ${show(was)} (server removed)` +
                  (ports.size > 0 ? "" : ", and has no server left") +
                  `: clients of ${was.hosts.join(", ") || "its hosts"} on that port reach nothing. Safe: keep the server on port ${was.port ?? "?"} until no client uses it.`,
                before: show(was),
                after: null,
                checklist: [
                  `Confirm no client, DNS name or load balancer still sends traffic to port ${was.port ?? "?"} of ${after.label}.`,
                ],
              },
        );
      });
      for (const [was, now] of pairs) if (was && now) findings.push(...compare(after, was, now));
    }
    return findings;
  },
});

const show = (server: GatewayServer): string => `${server.protocol || "?"} ${server.port ?? "?"}`;

function serverPath(object: KubernetesObject, server: GatewayServer): string {
  return objectPath(object, key("spec"), key("servers"), item(server.key));
}

function listenerMoved(
  object: KubernetesObject,
  was: GatewayServer,
  now: GatewayServer,
): Detection {
  return {
    severity: "high",
    line: now.line,
    path: serverPath(object, now),
    message: `${object.label} moves a listener from ${show(was)} to ${show(now)}: clients, DNS records and load balancers that still use ${show(was)} can no longer connect. Safe: keep port ${was.port ?? "?"} (${was.protocol}) served beside the new one until clients move.`,
    before: show(was),
    after: show(now),
    checklist: [
      `Confirm every client and the load balancer in front of ${object.label} use ${show(now)}.`,
    ],
  };
}

function compare(object: KubernetesObject, was: GatewayServer, now: GatewayServer): Detection[] {
  const out: Detection[] = [];
  const path = serverPath(object, now);
  if (was.port !== now.port || was.protocol !== now.protocol)
    out.push(listenerMoved(object, was, now));
  if (!was.hosts.some(isWildcardHost) && now.hosts.some(isWildcardHost) && was.hosts.length > 0)
    out.push({
      severity: "high",
      line: now.line,
      path,
      message: `${object.label} server ${show(now)} widens its hosts from ${was.hosts.join(", ")} to ${now.hosts.join(", ")}: every host name that reaches the gateway is admitted, so routes bound to it are exposed under any name. Safe: list the host names (\`${was.hosts.join("`, `")}\`) instead of \`*\`.`,
      before: was.hosts.join(", "),
      after: now.hosts.join(", "),
      checklist: [
        `Confirm every VirtualService bound to ${object.label} may be reached under any host name.`,
      ],
    });
  // A server that changes protocol (HTTPS → HTTP) is the listener moved, reported above: its TLS is that change.
  const sameProtocol = was.protocol === now.protocol;
  if (sameProtocol && was.tlsMode && TERMINATING.has(was.tlsMode) && now.tlsMode !== was.tlsMode)
    out.push({
      severity: "high",
      line: now.line,
      path,
      message: `${object.label} server ${show(now)} changes TLS mode from ${was.tlsMode} to ${now.tlsMode ?? "none"}: ${
        now.tlsMode === "PASSTHROUGH" || now.tlsMode === "AUTO_PASSTHROUGH"
          ? "the gateway stops terminating TLS and hands the handshake to the backend, so clients get the backend's certificate (or none) and HTTP routes no longer match"
          : now.tlsMode === "ISTIO_MUTUAL"
            ? "clients must present an Istio mesh certificate, so every client outside the mesh fails the handshake"
            : "clients that relied on the old handshake fail"
      }. Safe: keep \`mode: ${was.tlsMode}\`.`,
      before: was.tlsMode,
      after: now.tlsMode ?? null,
      checklist: [
        `Confirm every client of ${object.label} on port ${now.port ?? "?"} completes the new handshake.`,
      ],
    });
  if (was.httpsRedirect && !now.httpsRedirect)
    out.push({
      severity: "high",
      line: now.line,
      path,
      message: `${object.label} server ${show(now)} drops httpsRedirect: plain-HTTP requests are served instead of being sent to HTTPS. Safe: keep \`httpsRedirect: true\`.`,
      before: true,
      after: false,
      checklist: [`Confirm serving ${now.hosts.join(", ")} over plain HTTP is intended.`],
    });
  if (
    sameProtocol &&
    (was.tlsMode !== undefined || now.tlsMode !== undefined) &&
    minimumOf(was) !== minimumOf(now) &&
    TLS_ORDER.includes(minimumOf(was)) &&
    TLS_ORDER.includes(minimumOf(now))
  ) {
    const raised = TLS_ORDER.indexOf(minimumOf(now)) > TLS_ORDER.indexOf(minimumOf(was));
    out.push({
      severity: "high",
      line: now.line,
      path,
      message: `${object.label} server ${show(now)} ${raised ? "raises" : "lowers"} its minimum TLS version from ${minimumOf(was)} to ${minimumOf(now)}: ${
        raised
          ? "clients that cannot speak it fail the handshake"
          : "older, weaker protocol versions are accepted again"
      }. Safe: keep \`minProtocolVersion: ${minimumOf(was)}\`${raised ? " until every client is known to support the new one" : ""}.`,
      before: minimumOf(was),
      after: minimumOf(now),
      checklist: [`Confirm the clients of ${object.label} and their TLS versions.`],
    });
  }
  return out;
}
