import type { Dialect } from "../../formats/dialect.js";
import type { TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { inheritedDirective } from "../model/nginx/blocks.js";
import { directiveEdits } from "../model/nginx/directive-edits.js";
import { listFloor, TLS12, tlsFloorsOf, type TlsFloor, VERSIONS } from "../model/tls-floors.js";

// ngx_http_ssl_module: "TLSv1.2 TLSv1.3" since 1.27.3, "TLSv1 TLSv1.1 TLSv1.2" before (docs/lb-facts.md §P2).
const NGINX_DEFAULT = "TLSv1.2 TLSv1.3";
const NGINX_DIRECTIVES = ["ssl_protocols", "proxy_ssl_protocols", "grpc_ssl_protocols"];

/** nginx floors, directive by directive in the blocks both versions have (lowering is nginx.ssl-protocols.weakened's). */
function nginxFloors(file: {
  before: TreeNode | null;
  after: TreeNode | null;
}): [TlsFloor, TlsFloor][] {
  const pairs: [TlsFloor, TlsFloor][] = [];
  for (const edit of directiveEdits(file, NGINX_DIRECTIVES)) {
    // A directive removed falls back to a default that depends on the nginx version, or to an include the
    // change cannot see: nginx.ssl-protocols.weakened judges removals.
    if (edit.fresh || !edit.before || !inheritedDirective(edit.after, edit.name)) continue;
    const was = String(inheritedDirective(edit.before, edit.name)?.value ?? NGINX_DEFAULT);
    const now = String(inheritedDirective(edit.after, edit.name)?.value ?? NGINX_DEFAULT);
    const floor = (text: string, line: number): TlsFloor => ({
      key: edit.path,
      label: `${edit.name} in ${edit.after.label}`,
      line,
      path: edit.path,
      floor: listFloor(text),
      text,
      fallback: `nginx's default, ${NGINX_DEFAULT} (since 1.27.3)`,
      peers: edit.name === "ssl_protocols" ? "clients" : "servers",
    });
    const line = edit.own?.line ?? edit.ownBefore?.line ?? edit.after.body.line;
    pairs.push([floor(was, line), floor(now, line)]);
  }
  return pairs;
}

function pairsOf(
  dialect: Dialect,
  before: TreeNode | null,
  after: TreeNode | null,
): [TlsFloor, TlsFloor][] {
  if (dialect === "nginx") return nginxFloors({ before, after });
  const old = new Map(tlsFloorsOf(dialect, before).map((floor) => [floor.key, floor]));
  return tlsFloorsOf(dialect, after).flatMap((now) => {
    const was = old.get(now.key);
    return was && !(was.sectionMissing && !now.sectionMissing)
      ? [[was, now] as [TlsFloor, TlsFloor]]
      : [];
  });
}

// The written setting in a code span: `TLSv1 TLSv1.1 TLSv1.2` → `TLSv1.2` reads as two settings.
const show = (floor: TlsFloor): string =>
  floor.text === undefined ? `unset: ${floor.fallback}` : `\`${floor.text}\``;

/** "`TLSv1 TLSv1.1 TLSv1.2` → `TLSv1.2`", with the versions when the setting reads the same (`ssl-min-ver`). */
const shownChange = (was: TlsFloor, now: TlsFloor, from: string, to: string): string =>
  show(was) === show(now)
    ? `${show(was)} ${from} → ${show(now)} ${to}`
    : `${show(was)} → ${show(now)}`;

/**
 * The lowest TLS protocol a context accepts moves (docs/risk.md, TLS): raised, clients or servers that only
 * speak the old protocols fail their handshake; lowered below TLS 1.2, protocols with known attacks come back.
 */
export default defineRule({
  id: "generic.tls.minimum-changed",
  family: "generic",
  title: "Minimum TLS protocol raised or lowered",
  description:
    "The lowest TLS protocol a listener or upstream accepts moves, with each product's default when nothing is " +
    "written: nginx `ssl_protocols` (raised; lowered is nginx.ssl-protocols.weakened), ingress-nginx `ssl-protocols`, " +
    "HAProxy `ssl-default-bind-options`/`ssl-default-server-options` and bind/server `ssl-min-ver`, `no-tlsv1x`, " +
    "`force-tlsv1x`, Envoy `tls_minimum_protocol_version` (TLS 1.2 by default), Traefik `minVersion` (TLS 1.2 by " +
    "default). Raised above TLS 1.0: high, peers that only speak the old protocols fail to connect (medium when HAProxy " +
    "wrote nothing before and the floor is now at most TLS 1.2, its default from 2.2 on). Lowered below " +
    "`minimumTls`: high, protocols with known attacks are accepted again; this includes hardening options such as " +
    "HAProxy `no-sslv3`/`no-tlsv10` removed, which fall back to a default that depends on the version.",
  severity: "high",
  params: {
    // docs/lb-facts.md §P8: TLS 1.0 and 1.1 are deprecated (RFC 8996).
    minimumTls: {
      default: 1.2,
      description: "A floor lowered below this TLS version is a weakening (1.0, 1.1, 1.2 or 1.3).",
    },
  },
  dialects: ["nginx", "haproxy", "envoy", "traefik", "kubernetes"],
  check(file, params) {
    const minimum = { 1: 1, 1.1: 2, 1.2: 3, 1.3: 4 }[params.minimumTls] ?? TLS12;
    const findings: Detection[] = [];
    for (const [was, now] of pairsOf(file.dialect, file.before, file.after)) {
      if (was.floor === undefined || now.floor === undefined || was.floor === now.floor) continue;
      const from = VERSIONS[was.floor]!;
      const to = VERSIONS[now.floor]!;
      if (now.floor > was.floor) {
        // SSLv3 → TLS 1.0 refuses no client that still connects today.
        if (now.floor <= 1) continue;
        const who = now.peers === "clients" ? "clients" : "servers";
        // Nothing written before: HAProxy's default is TLS 1.2 from 2.2 on (docs/lb-facts.md §P8), so writing
        // TLS 1.2 refuses old clients only on older versions.
        const versionDefault =
          file.dialect === "haproxy" && was.text === undefined && now.floor <= TLS12;
        findings.push({
          severity: versionDefault ? "medium" : "high",
          line: now.line,
          path: now.path,
          message:
            `${now.label} raises the lowest TLS protocol from ${from} to ${to} (${shownChange(was, now, from, to)}): ` +
            (versionDefault
              ? `${who} that only speak ${VERSIONS.slice(was.floor, now.floor).join(" or ")} fail the handshake, but only on HAProxy before 2.2; from 2.2 on ${to} is already the default.`
              : `${who} that only speak ${VERSIONS.slice(was.floor, now.floor).join(" or ")} now fail the handshake. ` +
                `Safe: keep ${from} accepted until every ${who === "clients" ? "client" : "server"} is known to support ${to}, or raise the floor in a separate, announced change.`),
          before: from,
          after: to,
          figures: { tlsFloorBefore: from, tlsFloor: to },
          checklist: [
            `Check the handshake logs (or a TLS scanner) for ${who} still negotiating ${VERSIONS.slice(was.floor, now.floor).join(" or ")} before raising the floor.`,
          ],
        });
        continue;
      }
      if (file.dialect === "nginx" || now.floor >= minimum) continue;
      findings.push({
        severity: "high",
        line: now.line,
        path: now.path,
        message:
          `${now.label} lowers the lowest TLS protocol from ${from} to ${to} (${shownChange(was, now, from, to)}): ` +
          `${VERSIONS.slice(now.floor, was.floor).join(" and ")} ${now.floor + 1 === was.floor ? "is" : "are"} accepted again, with known attacks (deprecated by RFC 8996). ` +
          `Safe: keep \`${was.text ?? from}\`.`,
        before: from,
        after: to,
        figures: { tlsFloorBefore: from, tlsFloor: to },
        checklist: [
          `Confirm which peers need ${VERSIONS.slice(now.floor, was.floor).join(" or ")}, and whether they can be served elsewhere instead.`,
        ],
      });
    }
    return findings;
  },
});
