import type { Plain } from "../../formats/tree.js";
import { fieldOf, quoteItem, reordersOf } from "../model/order.js";
import { defineRule, type Detection } from "../types.js";
import { safe } from "../model/advice.js";

/** A route by its match (`prefix "/api"`), a filter by its name. */
function describe(value: Plain): string | undefined {
  const match = fieldOf(value, "match");
  for (const kind of ["prefix", "path", "path_separated_prefix", "pathSeparatedPrefix"]) {
    const text = fieldOf(match, kind);
    if (typeof text === "string") return `${kind} ${text}`;
  }
  const regex = fieldOf(match, "safe_regex", "regex") ?? fieldOf(match, "safeRegex", "regex");
  if (typeof regex === "string") return `regex ${regex}`;
  const name = fieldOf(value, "name");
  return typeof name === "string" ? name : undefined;
}

const LISTS = {
  "envoy.routes": {
    subject: "route",
    effect:
      "each virtual host uses the first route that matches, so requests matching both now take the other route",
  },
  "envoy.http-filters": {
    subject: "HTTP filter",
    effect:
      "HTTP filters run in the order listed (the router ends the chain: a filter after it never runs), so authentication, authorization or rate limiting may now run later, or not at all",
  },
  "envoy.network-filters": {
    subject: "network filter",
    effect:
      "network filters run in the order listed, so a connection may now be accepted or proxied before a filter that used to check it",
  },
  "envoy.listener-filters": {
    subject: "listener filter",
    effect:
      "listener filters run in the order listed, so what later filters and filter-chain matching see may change",
  },
} as const;

// "Each route entry in the virtual host is checked, in order": https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/route_matching;
// filter chains run in order: https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/http/http_filters
export default defineRule({
  id: "envoy.evaluation-order.changed",
  family: "envoy",
  title: "Routes or filters in a new order",
  description:
    "Kept routes of a virtual host are in a new order: Envoy uses the first route that matches, so requests " +
    "matching both take another route (high). Kept HTTP or network filters are in a new order: authentication, " +
    "authorization or rate limiting may run later or, after the router, never (high). Listener filters in a new " +
    "order: medium. New routes or filters placed first are additions, not reorders.",
  severity: "high",
  params: {},
  dialects: ["envoy"],
  check(file) {
    const findings: Detection[] = [];
    for (const reorder of reordersOf(file, [
      "envoy.routes",
      "envoy.http-filters",
      "envoy.network-filters",
      "envoy.listener-filters",
    ])) {
      const list = LISTS[reorder.list as keyof typeof LISTS];
      const moved = quoteItem(reorder.moved, describe);
      const overtook = quoteItem(reorder.overtook, describe);
      findings.push({
        severity: reorder.list === "envoy.listener-filters" ? "medium" : "high",
        line: reorder.moved.afterLine,
        path: reorder.change.path,
        message: `${list.subject} ${moved} now comes before ${overtook}: ${list.effect}.${reorder.list === "envoy.listener-filters" ? "" : safe(`keep ${overtook} ahead of ${moved}, as before`)}`,
        before: reorder.change.before,
        after: reorder.change.after,
        checklist: [
          reorder.list === "envoy.routes"
            ? `Confirm which of the routes ${moved} and ${overtook} should serve requests that match both, and send such a request through the new order.`
            : `Confirm the new order of the ${list.subject}s is intended (${moved} before ${overtook}) and that the router filter is still last.`,
        ],
      });
    }
    return findings;
  },
});
