import { reordersOf, quoteItem, type Reorder } from "../model/order.js";
import { defineRule, type Detection } from "../types.js";
import { safe } from "../model/advice.js";

/** `frontend web`, `defaults`, `backend app`: the section that holds the list. */
function sectionOf(reorder: Reorder): string {
  const keys = reorder.change.order?.sequence
    ? reorder.keys
    : reorder.keys.slice(0, reorder.keys.at(-2) === "stick" ? -2 : -1);
  return keys.map((name) => (name === "" ? "(unnamed)" : name)).join(" ") || "the configuration";
}

/** `http-request`, `use_backend`, `stick match`; the 1.x header filters (reqrep, rspadd ...) are one list. */
function listOf(reorder: Reorder): string {
  if (reorder.change.order?.sequence) return "header filter";
  const last = reorder.keys.at(-1)!;
  return reorder.keys.at(-2) === "stick" ? `stick ${last}` : last;
}

// HAProxy evaluates each rule set in declaration order and the first final action wins; a health check's
// http-check/tcp-check lines are one sequence; filters run in the order declared
// (HAProxy manual §4.2, https://haproxy.org/download/2.4/doc/configuration.txt; src/diff/ordered.ts).
export default defineRule({
  id: "haproxy.evaluation-order.changed",
  family: "haproxy",
  title: "Rules evaluated in a new order",
  description:
    "Kept `http-request`, `http-response`, `tcp-request` (within one rule set: connection, session, content), " +
    "`use_backend`, `use-server`, `redirect` or `stick match` lines of a section are in a new order: HAProxy " +
    "evaluates them in declaration order and the first final action wins, so a request can now be allowed, denied " +
    "or routed differently (high). Reordered `http-check`/`tcp-check` steps change what the health check does " +
    "(high); reordered filters, medium. HAProxy 1.x header filters (reqrep, reqdeny, rspadd ...) form one request " +
    "and one response list across their keywords (high). New lines placed first are additions, not reorders.",
  severity: "high",
  params: {},
  dialects: ["haproxy"],
  check(file) {
    const findings: Detection[] = [];
    for (const reorder of reordersOf(file, [
      "haproxy.rules",
      "haproxy.check-sequence",
      "haproxy.filters",
    ])) {
      const section = sectionOf(reorder);
      const list = listOf(reorder);
      const moved = quoteItem(reorder.moved);
      const overtook = quoteItem(reorder.overtook);
      const effect =
        reorder.list === "haproxy.rules"
          ? "the first matching rule decides, so requests matching both may now be answered or routed differently"
          : reorder.list === "haproxy.check-sequence"
            ? "the health check now sends and expects in a different sequence, and may fail on healthy servers"
            : "filters now see the traffic in a different order";
      findings.push({
        severity: reorder.list === "haproxy.filters" ? "medium" : "high",
        line: reorder.moved.afterLine,
        path: reorder.change.path,
        message: `${section}: ${list} ${moved} now comes before ${overtook}, which it used to follow: ${effect}.${reorder.list === "haproxy.filters" ? "" : safe(`keep ${overtook} ahead of ${moved}, as before`)}`,
        before: reorder.change.before,
        after: reorder.change.after,
        checklist: [
          `Confirm the new order of the ${list} lines of ${section} is intended: for requests that match both ${moved} and ${overtook}, which one should win?`,
        ],
      });
    }
    return findings;
  },
});
