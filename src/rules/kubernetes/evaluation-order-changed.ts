import type { Plain } from "../../formats/tree.js";
import { fieldOf, quoteItem, reordersOf } from "../model/order.js";
import { middlewareReorders } from "../model/traefik/middlewares.js";
import { defineRule, type Detection } from "../types.js";
import { safe } from "../model/advice.js";

/** An Istio route by its name, else by its first URI match (`prefix /api`). */
function describeRoute(value: Plain): string | undefined {
  const name = fieldOf(value, "name");
  if (typeof name === "string") return name;
  const matches = fieldOf(value, "match");
  const first = Array.isArray(matches) ? matches[0] : undefined;
  for (const kind of ["prefix", "exact", "regex"]) {
    const text = fieldOf(first, "uri", kind);
    if (typeof text === "string") return `${kind} ${text}`;
  }
  return undefined;
}

// Istio: "Routing rules are evaluated in sequential order from top to bottom, with the first rule in the virtual
// service definition being given highest priority": https://istio.io/latest/docs/concepts/traffic-management/#routing-rule-precedence
export default defineRule({
  id: "kubernetes.evaluation-order.changed",
  family: "kubernetes",
  title: "Routes or middlewares in a new order",
  description:
    "Kept routes of an Istio VirtualService (`spec.http`, `tcp`, `tls`) are in a new order: the first rule that " +
    "matches wins, so requests matching both take the other route (high). Kept middlewares of a Traefik " +
    "IngressRoute or Middleware chain in a new order: high when one of them guards access or is defined " +
    "elsewhere, else medium. Reordered container `args`/`command` and `initContainers` are changes but no finding.",
  severity: "high",
  params: {},
  dialects: ["kubernetes"],
  check(file) {
    const findings: Detection[] = reordersOf(file, ["istio.routes"]).map((reorder) => {
      const moved = quoteItem(reorder.moved, describeRoute);
      const overtook = quoteItem(reorder.overtook, describeRoute);
      return {
        severity: "high",
        line: reorder.moved.afterLine,
        path: reorder.change.path,
        message: `${reorder.change.path}: route ${moved} now comes before ${overtook}: Istio uses the first rule that matches, so requests matching both now take the other route.${safe(`keep ${overtook} ahead of ${moved}, as before`)}`,
        before: reorder.change.before,
        after: reorder.change.after,
        checklist: [
          `Confirm which of the routes ${moved} and ${overtook} should serve requests that match both (most specific first, catch-all last).`,
        ],
      };
    });
    return [...findings, ...middlewareReorders(file)];
  },
});
