import { child, entriesOf, itemsOf, type TreeNode } from "../../formats/tree.js";
import { lineFix } from "../model/fix.js";
import { nginxBlocks } from "../model/nginx/blocks.js";
import { plusCheckSites } from "../model/nginx/entities.js";
import { pairByKey } from "../model/pairs.js";
import { defineRule, type Detection } from "../types.js";

/** One NGINX Plus `health_check` and what it requests and accepts. */
interface PlusCheck {
  /** As the health-check model keys it: `upstream:app/health_check`, `stream/upstream:db/health_check#2`. */
  readonly key: string;
  readonly label: string;
  readonly path: string;
  readonly line: number;
  /** `uri=` (default `/`, ngx_http_upstream_hc_module). */
  readonly uri: string;
  readonly explicitUri: boolean;
  /** `port=` (default: each server's own port). */
  readonly port: string | undefined;
  /** `match=` name, undefined for the default test (status 2xx or 3xx). */
  readonly match: string | undefined;
  /** The match block's conditions (`status 200`, `header Content-Type = text/html`), undefined without one. */
  readonly conditions: readonly string[] | undefined;
}

/** `match NAME { ... }` blocks of the tree, per scope (http or stream): name → condition lines. */
function matchBlocks(tree: TreeNode): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const block of nginxBlocks(tree)) {
    for (const [name, node] of entriesOf(child(block.body, "match"))) {
      const body = itemsOf(node)[0];
      if (body?.kind !== "map") continue;
      const conditions = entriesOf(body).flatMap(([directive, value]) =>
        itemsOf(value).map((item) =>
          item.kind === "scalar"
            ? `${directive} ${String(item.value ?? "").replace(/\s+/g, " ")}`.trim()
            : directive,
        ),
      );
      out.set(`${block.stream ? "stream/" : ""}${name}`, conditions);
    }
  }
  return out;
}

function checksOf(tree: TreeNode | null): PlusCheck[] {
  if (!tree) return [];
  const matches = matchBlocks(tree);
  return plusCheckSites(tree).map(({ key: checkKey, label, path, node, params, stream }) => {
    const match = params.get("match");
    return {
      key: checkKey,
      label,
      path,
      line: node.line,
      uri: params.get("uri") ?? "/",
      explicitUri: params.has("uri"),
      port: params.get("port"),
      match,
      conditions:
        match === undefined ? undefined : matches.get(`${stream ? "stream/" : ""}${match}`),
    };
  });
}

/**
 * NGINX Plus active checks (ngx_http_upstream_hc_module, docs/lb-facts.md §P2): a server passes when it answers
 * the check's `uri` on its `port` and the response satisfies the `match` block (by default: status 2xx or
 * 3xx). A new path or port, or a stricter match, fails every server that does not serve it yet, and with
 * fails=1 by default one failed check takes it out (docs/risk.md "Healthy targets are ejected").
 */
export default defineRule({
  id: "nginx.health-check.tightened",
  family: "nginx",
  title: "NGINX Plus health check moved to a new path or port, or its match made stricter",
  description:
    "An NGINX Plus `health_check` now requests another `uri` (the default is `/`) or `port`, or the `match` block " +
    "it uses gains or changes a condition (status, header, body), or a match is added where the default test " +
    "(any 2xx or 3xx) applied. Servers that do not answer the new check that way are all marked down at once. " +
    "High; a condition only removed (looser) is not reported.",
  severity: "high",
  params: {},
  dialects: ["nginx"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of pairByKey(checksOf(file.before), checksOf(file.after))) {
      if (!before || !after) continue;
      const report = (
        what: string,
        safe: string,
        was: string,
        now: string,
        fix?: Detection["fix"],
      ): void => {
        findings.push({
          severity: "high",
          line: after.line,
          path: after.path,
          message: `${after.label} ${what}: servers that do not answer it that way are all marked down at once. Safe: ${safe}.`,
          before: was,
          after: now,
          checklist: [
            `Confirm every server of ${after.label.replace(/^health check of /, "")} passes the new check before it ships.`,
          ],
          ...(fix ? { fix } : {}),
        });
      };
      if (before.uri !== after.uri) {
        const fix = after.explicitUri
          ? lineFix(file, after.line, [{ keys: ["uri"], value: before.uri }])
          : undefined;
        report(
          `now requests ${after.uri}${after.explicitUri ? "" : " (the default)"} instead of ${before.uri}`,
          `keep \`uri=${before.uri}\` until every server serves ${after.uri}`,
          before.uri,
          after.uri,
          fix,
        );
      }
      if (before.port !== after.port) {
        report(
          `now checks port ${after.port ?? "of each server"} instead of ${before.port ?? "each server's own port"}`,
          before.port
            ? `keep \`port=${before.port}\``
            : "drop `port=` so each server is checked on its own port",
          before.port ?? "(server port)",
          after.port ?? "(server port)",
        );
      }
      const stricter = addedConditions(before, after);
      if (stricter.length > 0) {
        report(
          `now also requires ${stricter.map((condition) => `\`${condition}\``).join(", ")}` +
            (after.match ? ` (match ${after.match})` : ""),
          before.conditions
            ? `keep the match conditions as they were (${before.conditions.map((c) => `\`${c}\``).join(", ")}) until every server answers the new way`
            : "keep the default test (status 2xx or 3xx) until every server answers the new way",
          before.conditions?.join("; ") ?? "status 2xx-3xx",
          after.conditions?.join("; ") ?? "status 2xx-3xx",
        );
      }
    }
    return findings;
  },
});

/** The conditions `after` requires that `before` did not; the default test counts as no condition. */
function addedConditions(before: PlusCheck, after: PlusCheck): string[] {
  if (after.match !== undefined && after.conditions === undefined) return []; // match block not in this file
  if (before.match !== undefined && before.conditions === undefined) return [];
  const was = new Set(before.conditions ?? []);
  return (after.conditions ?? []).filter((condition) => !was.has(condition));
}
