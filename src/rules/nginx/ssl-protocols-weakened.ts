import { defineRule, type Detection } from "../types.js";
import { inheritedDirective, type ScopedBlock } from "../model/nginx/blocks.js";
import { directiveEdits } from "../model/nginx/directive-edits.js";
import { safe } from "../model/advice.js";

// ngx_http_ssl_module (docs/lb-facts.md §P2): default "TLSv1.2 TLSv1.3" since 1.27.3; TLSv1 and TLSv1.1 before.
const DEFAULT_PROTOCOLS = "TLSv1.2 TLSv1.3";
const OLD_DEFAULT_PROTOCOLS = ["TLSv1", "TLSv1.1", "TLSv1.2"];
const WEAK = new Set(["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"]);
// Client-side TLS (ssl_) and the TLS nginx speaks to upstream servers (proxy_ssl_, grpc_ssl_, uwsgi_ssl_).
const DIRECTIVES = ["ssl_protocols", "proxy_ssl_protocols", "grpc_ssl_protocols"];

const protocols = (block: ScopedBlock | undefined, name: string): Set<string> =>
  new Set(String(inheritedDirective(block, name)?.value ?? DEFAULT_PROTOCOLS).split(/\s+/));

/** Protocols below TLS 1.2 have known attacks (POODLE, BEAST) and are deprecated (RFC 8996). */
export default defineRule({
  id: "nginx.ssl-protocols.weakened",
  family: "nginx",
  title: "TLS protocols below 1.2 enabled",
  description:
    "ssl_protocols (or proxy_/grpc_ssl_protocols towards the servers) gains SSLv2, SSLv3, TLSv1 or TLSv1.1 where " +
    "it is written: clients (or servers) can negotiate a protocol with known attacks, deprecated by RFC 8996. " +
    "Removing a directive that excluded them falls back to nginx's default, which still enabled TLSv1 and TLSv1.1 before 1.27.3 (medium).",
  severity: "high",
  params: {},
  dialects: ["nginx"],
  check(file) {
    const findings: Detection[] = [];
    for (const { before, after, name, ownBefore, own, path } of directiveEdits(file, DIRECTIVES)) {
      if (!own && ownBefore && !inheritedDirective(after, name)) {
        const old = new Set(String(ownBefore.value).split(/\s+/));
        // Only a list that had no TLSv1/TLSv1.1 gets weaker on an nginx older than 1.27.3.
        if (OLD_DEFAULT_PROTOCOLS.every((protocol) => old.has(protocol))) continue;
        findings.push({
          severity: "medium",
          line: ownBefore.line,
          path,
          message: `${name} is removed from ${after.label} (was ${String(ownBefore.value)}): nginx's default applies: TLSv1.2 TLSv1.3 since 1.27.3, but older versions also enable TLSv1 and TLSv1.1.`,
          before: ownBefore.value,
          after: null,
          checklist: [
            "Confirm the deployed nginx is 1.27.3 or later, or keep ssl_protocols explicit.",
          ],
        });
        continue;
      }
      const was = protocols(before, name);
      const added = [...protocols(after, name)].filter((p) => WEAK.has(p) && !was.has(p));
      if (added.length === 0) continue;
      findings.push({
        severity: "high",
        line: own?.line ?? 1,
        path,
        message: `${name} in ${after.label} now allows ${added.join(", ")}: ${name === "ssl_protocols" ? "clients" : "connections to the servers"} can negotiate a protocol below TLS 1.2, with known attacks (deprecated by RFC 8996).${safe(`keep \`${name} ${[...was].join(" ") || "TLSv1.2 TLSv1.3"};\``)}`,
        before: [...was].join(" "),
        after: own?.value ?? null,
        checklist: [
          `Confirm which clients need ${added.join(", ")}, and whether they can be served elsewhere instead.`,
        ],
      });
    }
    return findings;
  },
});
