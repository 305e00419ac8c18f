import { defineRule, type Detection } from "../types.js";
import { affinitiesOf } from "../model/index.js";
import { pairByKey } from "../model/pairs.js";
import { safe } from "../model/advice.js";

/** A new cookie name, affinity type or hash key maps every user afresh: sessions move. */
export default defineRule({
  id: "lb.stickiness.changed",
  family: "lb",
  title: "Session persistence method or cookie changed",
  description:
    "The stickiness type, the affinity mode or hash key, or the cookie name changes: existing affinity cookies or " +
    "hashes no longer match, so every user is re-pinned once. Turning stickiness on is reported too (medium).",
  severity: "high",
  params: {},
  dialects: "any",
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of pairByKey(
      affinitiesOf(file.dialect, file.before),
      affinitiesOf(file.dialect, file.after),
    )) {
      if (!before || !after?.enabled) continue;
      if (!before.enabled) {
        findings.push({
          severity: "medium",
          line: after.line,
          path: after.path,
          message: `${after.label} now pins sessions (${after.mode ?? "on"}): load can skew onto few targets and draining takes longer.`,
          before: before.mode ?? false,
          after: after.mode ?? true,
          checklist: [
            `Confirm the targets of ${after.label} can absorb skewed load while sessions stay pinned.`,
          ],
        });
        continue;
      }
      const modeChanged = (before.mode ?? "") !== (after.mode ?? "");
      const cookieChanged = (before.cookieName ?? "") !== (after.cookieName ?? "");
      if (!modeChanged && !cookieChanged) continue;
      const what = modeChanged
        ? `from ${before.mode ?? "default"} to ${after.mode ?? "default"}`
        : `cookie ${before.cookieName ?? "(default)"} → ${after.cookieName ?? "(default)"}`;
      findings.push({
        severity: "high",
        line: after.line,
        path: after.path,
        message: `${after.label} changes session persistence ${what}: existing sessions no longer map to their target.${safe(modeChanged ? `keep type "${before.mode ?? "default"}"` : `keep cookie_name "${before.cookieName ?? "(default)"}"`)}`,
        before: modeChanged ? (before.mode ?? null) : (before.cookieName ?? null),
        after: modeChanged ? (after.mode ?? null) : (after.cookieName ?? null),
        checklist: [
          `Confirm users re-pinned to another target by ${after.label} keep their session (shared session store).`,
        ],
      });
    }
    return findings;
  },
});
