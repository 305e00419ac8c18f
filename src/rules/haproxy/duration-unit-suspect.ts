import { child, entriesOf, itemsOf, type TreeNode } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { haproxySections, sectionPath, written } from "../model/haproxy/sections.js";
import { serversOf } from "../model/haproxy/servers.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";

// Server time parameters (HAProxy manual §5.2): bare numbers are milliseconds like every HAProxy time.
const SERVER_TIMES = ["inter", "fastinter", "downinter", "slowstart"];
// Timeouts whose expiry aborts a live request or session, not just a check or an idle connection.
const REQUEST_TIMEOUTS = new Set(["client", "server", "http-request", "tunnel"]);

interface Written {
  readonly what: string;
  readonly node: TreeNode;
  readonly path: string;
  readonly request: boolean;
}

/** Every time value written in a version, with a key that finds the same value in the other version. */
function timesOf(root: TreeNode | null): Map<string, Written> {
  const out = new Map<string, Written>();
  for (const section of haproxySections(root)) {
    for (const [name, node] of entriesOf(child(section.body, "timeout"))) {
      out.set(`${section.key}/timeout ${name}`, {
        what: `timeout ${name} of ${section.label}`,
        node,
        path: sectionPath(section, "timeout", name),
        request: REQUEST_TIMEOUTS.has(name),
      });
    }
    const holders = [
      ...itemsOf(child(section.body, "default-server")).map((node) => ({
        key: `${section.key}/default-server`,
        label: `default-server of ${section.label}`,
        path: sectionPath(section, "default-server"),
        node,
      })),
      ...serversOf(section).map((server) => ({
        key: server.key,
        label: server.label,
        path: sectionPath(section, server.keyword, server.name),
        node: server.node,
      })),
    ];
    for (const holder of holders) {
      for (const name of SERVER_TIMES) {
        const node = child(holder.node, name);
        if (node)
          out.set(`${holder.key}/${name}`, {
            what: `${name} of ${holder.label}`,
            node,
            path: holder.path,
            request: false,
          });
      }
    }
  }
  return out;
}

/** HAProxy reads a bare number as milliseconds: `inter 5` or `timeout server 30` are almost always meant as seconds. */
export default defineRule({
  id: "haproxy.duration.unit-suspect",
  family: "haproxy",
  title: "Bare duration that is probably seconds, read as milliseconds",
  description:
    "A time written or changed as a bare number below a floor (100 by default): HAProxy reads it as " +
    "milliseconds, so `inter 5` checks every 5 ms and `timeout server 30` cuts every response after 30 ms. High " +
    "for timeouts that abort requests (client, server, http-request, tunnel), medium otherwise.",
  severity: "high",
  params: {
    // docs/lb-facts.md §P0: `inter 5` (5 ms) is probably a unit error; 100 ms is below any realistic timeout.
    floorMilliseconds: {
      default: 100,
      description: "Bare numbers below this (milliseconds) are reported as suspect.",
    },
  },
  dialects: ["haproxy"],
  check(file, params) {
    const findings: Detection[] = [];
    const previous = timesOf(file.before);
    for (const [id, time] of timesOf(file.after)) {
      if (time.node.kind !== "scalar") continue;
      const value = time.node.value;
      // A bare number: the parser gives a number, or a digit string for some forms.
      const bare = typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value));
      const ms = bare ? toNumber(value) : undefined;
      if (ms === undefined || ms <= 0 || ms >= params.floorMilliseconds) continue;
      const old = previous.get(id);
      if (old && written(old.node) === written(time.node)) continue;
      const leaf = time.path.split(".").pop() ?? "";
      const fix = time.request
        ? lineFix(file, time.node.line, [{ keys: [`timeout ${leaf}`, leaf], value: `${ms}s` }])
        : undefined;
      findings.push({
        ...(fix ? { fix } : {}),
        severity: time.request ? "high" : "medium",
        line: time.node.line,
        path: time.path,
        message: `${time.what} is ${ms} with no unit, which HAProxy reads as ${ms} ms, not ${ms} s${time.request ? `: requests are cut after that long.${safe(`write \`${ms}s\` (or \`${ms}ms\` if milliseconds are meant)`)}` : "."}`,
        before: old?.node.kind === "scalar" ? old.node.value : null,
        after: value,
        figures: { milliseconds: ms },
        checklist: [`Write the unit explicitly (\`${ms}s\` or \`${ms}ms\`) in ${time.what}.`],
      });
    }
    return findings;
  },
});
