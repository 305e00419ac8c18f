import { formatPath } from "../../diff/path.js";
import { reordersOf, quoteItem } from "../model/order.js";
import { defineRule, type Detection } from "../types.js";
import { safe } from "../model/advice.js";

// nginx checks regex locations in the order they appear and uses the first that matches
// (https://nginx.org/en/docs/http/ngx_http_core_module.html#location); the rewrite module's directives of a block
// run one after another in the order written (https://nginx.org/en/docs/http/ngx_http_rewrite_module.html).
export default defineRule({
  id: "nginx.evaluation-order.changed",
  family: "nginx",
  title: "Regex locations or rewrites in a new order",
  description:
    "Kept regex locations (`location ~ …`, `location ~* …`) of a block are in a new order: nginx uses the first " +
    "regex location that matches, so a request matching both now goes elsewhere (high). The rewrite module's " +
    "directives of a block (`rewrite`, `if`, `return`, `set`, `break`) run in the order written: kept ones in a new " +
    "sequence rewrite, answer or redirect requests differently (high). Prefix and exact locations are " +
    "chosen by length, whatever their order: never reported.",
  severity: "high",
  params: {},
  dialects: ["nginx"],
  check(file) {
    const findings: Detection[] = [];
    for (const reorder of reordersOf(file, ["nginx.regex-locations", "nginx.rewrite"])) {
      const regex = reorder.list === "nginx.regex-locations";
      const segments = reorder.change.order?.sequence
        ? reorder.change.segments
        : reorder.change.segments.slice(0, -1);
      const block = formatPath(segments) || "the top level";
      const moved = quoteItem(reorder.moved);
      const overtook = quoteItem(reorder.overtook);
      const [subject, effect] = regex
        ? [
            "regex location ",
            `nginx uses the first regex location that matches, so requests matching both now go to ${moved}`,
          ]
        : [
            "",
            "the rewrite module runs rewrite, if, return and set in the order written, so a request they both apply to is now rewritten, answered or redirected differently",
          ];
      findings.push({
        severity: "high",
        line: reorder.moved.afterLine,
        path: reorder.change.path,
        message: `In ${block}, ${subject}${moved} now comes before ${overtook}: ${effect}.${safe(`keep ${overtook} ahead of ${moved}, as before`)}`,
        before: reorder.change.before,
        after: reorder.change.after,
        checklist: [
          `Confirm which of ${moved} and ${overtook} should handle requests that match both, and test such a request against the new order.`,
        ],
      });
    }
    return findings;
  },
});
