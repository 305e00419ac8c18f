import { formatPath, key } from "../../diff/path.js";
import { nginxSeconds } from "../model/durations.js";
import { toNumber } from "../model/figures.js";
import { maxSeverity, type Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import {
  blockPairs,
  inheritedDirective,
  ownDirective,
  sameDirective,
  type ScopedBlock,
} from "../model/nginx/blocks.js";
import { safe } from "../model/advice.js";

// ngx_http_proxy_module (docs/lb-facts.md §P2): proxy_next_upstream "error timeout"; tries and timeout 0 = unlimited.
const DEFAULT_CONDITIONS = "error timeout";
const STATUS_RETRY = /^http_(5\d\d|429)$/;

function conditions(block: ScopedBlock | undefined, prefix: string): Set<string> {
  const found = inheritedDirective(block, `${prefix}_next_upstream`);
  return new Set(String(found?.value ?? DEFAULT_CONDITIONS).split(/\s+/));
}

function limits(
  block: ScopedBlock | undefined,
  prefix: string,
): { tries: number; timeout: number } {
  const tries = toNumber(inheritedDirective(block, `${prefix}_next_upstream_tries`)?.value) ?? 0;
  const timeout =
    nginxSeconds(inheritedDirective(block, `${prefix}_next_upstream_timeout`)?.value) ?? 0;
  return { tries, timeout };
}

/** Retries on another server: duplicate writes for non-idempotent requests, amplification for 5xx. */
export default defineRule({
  id: "nginx.next-upstream.risky",
  family: "nginx",
  title: "Risky retries to the next upstream server",
  description:
    "`proxy_next_upstream` (or grpc_) gains `non_idempotent`: POST/PATCH/LOCK are retried on another server, so " +
    "a write may be applied twice (high). Retries on 5xx/429 statuses while tries and timeout are unlimited (a " +
    "failing request is sent to every server of the group), or `_next_upstream_tries` going to 0 (unlimited) with " +
    "no timeout, are medium; status retries with limits are low (tuned on the corpus: 502/503 retries are common).",
  severity: "high",
  params: {},
  dialects: ["nginx"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of blockPairs(file.before, file.after)) {
      for (const prefix of ["proxy", "grpc"]) {
        const name = `${prefix}_next_upstream`;
        const ownBefore = ownDirective(before?.body, name);
        const ownAfter = ownDirective(after.body, name);
        const triesName = `${name}_tries`;
        const triesChanged = !sameDirective(
          ownDirective(before?.body, triesName),
          ownDirective(after.body, triesName),
        );
        if (sameDirective(ownBefore, ownAfter) && !triesChanged) continue;
        const was = conditions(before, prefix);
        const now = conditions(after, prefix);
        const { tries, timeout } = limits(after, prefix);
        const unlimited = tries === 0 && timeout === 0;
        const added = [...now].filter((condition) => !was.has(condition));
        const reasons: { severity: Severity; text: string }[] = [];
        if (added.includes("non_idempotent"))
          reasons.push({
            severity: "high",
            text: "non_idempotent retries POST, PATCH and LOCK requests on another server: a write that timed out may be applied twice",
          });
        const statuses = added.filter((condition) => STATUS_RETRY.test(condition));
        if (statuses.length > 0)
          reasons.push({
            severity: unlimited ? "medium" : "low",
            text: `retries on ${statuses.join(", ")}${unlimited ? " with no limit on tries or time: a request failing everywhere is sent to every server, multiplying load on a struggling group" : ` (up to ${tries || "unlimited"} tries${timeout ? `, ${timeout} s` : ""})`}`,
          });
        const previous = limits(before, prefix);
        if (
          !now.has("off") &&
          unlimited &&
          (previous.tries > 0 || previous.timeout > 0) &&
          triesChanged
        )
          reasons.push({
            severity: "medium",
            text: `${triesName} is now unlimited (was ${previous.tries}) with no ${name}_timeout: a request may be tried on every server, each up to the proxy timeouts`,
          });
        if (reasons.length === 0) continue;
        const severity = maxSeverity(reasons.map((reason) => reason.severity));
        findings.push({
          severity,
          line: ownAfter?.line ?? ownDirective(after.body, triesName)?.line ?? 1,
          path: formatPath([...after.path, key(ownAfter || !triesChanged ? name : triesName)]),
          message: `${name} in ${after.label}: ${reasons.map((reason) => reason.text).join("; ")}.${severity === "high" ? safe(`keep \`${name} ${[...now].filter((condition) => condition !== "non_idempotent").join(" ") || "error timeout"};\` without non_idempotent`) : ""}`,
          before: [...was].join(" "),
          after: [...now].join(" "),
          figures: { tries, timeoutSeconds: timeout },
          checklist: [
            added.includes("non_idempotent")
              ? `Confirm every non-idempotent endpoint behind ${after.label} is safe to apply twice (idempotency keys).`
              : `Set ${triesName} (e.g. 2) and ${name}_timeout in ${after.label} to bound retries.`,
          ],
        });
      }
    }
    return findings;
  },
});
