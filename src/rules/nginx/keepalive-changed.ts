import { formatPath, key } from "../../diff/path.js";
import { toNumber } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { ownDirective } from "../model/nginx/blocks.js";
import { upstreamPairs } from "../model/nginx/upstreams.js";

/** `keepalive 32` / `keepalive 16 local` → 32 / 16. */
const connections = (value: unknown): number | undefined =>
  toNumber(typeof value === "string" ? value.split(/\s+/)[0] : value);

/** Without cached connections every proxied request opens a new one (and a TLS handshake). */
export default defineRule({
  id: "nginx.keepalive.changed",
  family: "nginx",
  title: "Upstream keepalive connections removed or cut",
  description:
    "An upstream's `keepalive` cache is removed (medium) or cut by more than half (low). Fewer cached " +
    "connections mean a new TCP (and TLS) connection per request: latency, CPU on both sides and, under load, " +
    "ephemeral-port exhaustion (TIME_WAIT). nginx 1.29.7+ keeps 32 by default when the directive is absent.",
  severity: "medium",
  params: {
    cutPercent: {
      // docs/lb-facts.md §P7 Capacity: "more than half" as for connection limits.
      default: 50,
      description:
        "A cut larger than this share of the old cache size (percent) is reported (low).",
    },
  },
  dialects: ["nginx"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of upstreamPairs(file.before, file.after)) {
      const wasNode = ownDirective(before.body, "keepalive");
      const nowNode = ownDirective(after.body, "keepalive");
      const was = connections(wasNode?.value);
      if (!wasNode || was === undefined || was === 0) continue;
      const path = formatPath([...after.path, key("keepalive")]);
      if (!nowNode) {
        findings.push({
          severity: "medium",
          line: wasNode.line,
          path,
          message: `${after.label} no longer caches idle connections (was keepalive ${was}): before nginx 1.29.7 every request opens a new connection to the servers (since 1.29.7, 32 are kept by default).`,
          before: was,
          after: null,
          checklist: [
            `Confirm the nginx version, and that the servers of ${after.label} can absorb a new connection (and TLS handshake) per request.`,
          ],
        });
        continue;
      }
      const now = connections(nowNode.value);
      if (now === undefined || now >= was * (1 - params.cutPercent / 100)) continue;
      findings.push({
        severity: "low",
        line: nowNode.line,
        path,
        message: `${after.label} caches ${now} idle connections per worker instead of ${was}: above that, requests open new connections.`,
        before: was,
        after: now,
        figures: { keepaliveBefore: was, keepalive: now },
        checklist: [
          `Confirm ${now} idle connections per worker cover the steady request rate of ${after.label}.`,
        ],
      });
    }
    return findings;
  },
});
