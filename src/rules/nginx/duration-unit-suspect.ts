import { formatPath, key } from "../../diff/path.js";
import { child, entriesOf, type ScalarNode } from "../../formats/tree.js";
import { formatSeconds, toNumber } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { directiveEdits } from "../model/nginx/directive-edits.js";
import { upstreamsOf } from "../model/nginx/upstreams.js";
import { withPrevious } from "../model/pairs.js";
import { safe } from "../model/advice.js";
import { lineFix } from "../model/fix.js";
import { NGINX_SECONDS_ONLY, nginxTime } from "../model/proxy-durations.js";

// Time directives whose bare number is seconds (nginx "Configuration file measurement units", docs/lb-facts.md §P0).
const TIME_DIRECTIVES = [
  ...["proxy", "grpc", "fastcgi", "uwsgi", "scgi"].flatMap((prefix) =>
    ["connect", "read", "send"].map((phase) => `${prefix}_${phase}_timeout`),
  ),
  "proxy_next_upstream_timeout",
  "keepalive_timeout",
  "send_timeout",
  "client_body_timeout",
  "client_header_timeout",
  "resolver_timeout",
];

/** A bare whole number of thousands reads like milliseconds (`5000`), which nginx takes as seconds. */
const suspect = (value: unknown, floor: number): number | undefined => {
  const bare = typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value));
  const seconds = bare ? toNumber(value) : undefined;
  return seconds !== undefined && seconds >= floor && seconds % 1000 === 0 ? seconds : undefined;
};

/** nginx reads bare numbers as seconds: `fail_timeout=5000` takes a server out for 83 minutes. */
export default defineRule({
  id: "nginx.duration.unit-suspect",
  family: "nginx",
  title: "Bare duration that is probably milliseconds, read as seconds",
  description:
    "A time written or changed as a bare whole number of thousands (5000, 30000): nginx reads it as seconds, so " +
    "`fail_timeout=5000` takes a server out for 83 min after one failure (high) and `proxy_read_timeout 60000` " +
    "waits 16.7 h for a stalled backend (medium).",
  severity: "high",
  params: {
    // docs/lb-facts.md §P0: `fail_timeout=5000` (83 min) is probably a unit error.
    floorSeconds: {
      default: 1000,
      description: "Bare numbers from this many seconds up, in whole thousands, are reported.",
    },
  },
  dialects: ["nginx"],
  check(file, params) {
    const findings: Detection[] = [];
    const report = (
      node: ScalarNode,
      what: string,
      path: string,
      high: boolean,
      seconds: number,
    ) => {
      const directive = what.split(" ")[0]!;
      // What was probably meant, as the directive accepts it: `fail_timeout=` takes whole seconds and
      // rejects `ms` (docs/lb-facts.md "Product limits the advice respects").
      const meant = NGINX_SECONDS_ONLY.has(directive)
        ? (nginxTime(seconds / 1000, directive) ?? `${seconds / 1000}s`)
        : `${seconds}ms`;
      const fix = high
        ? lineFix(file, node.line, [{ keys: [directive], value: meant }])
        : undefined;
      return findings.push({
        ...(fix ? { fix } : {}),
        severity: high ? "high" : "medium",
        line: node.line,
        path,
        message: `${what} is ${seconds} with no unit, which nginx reads as ${formatSeconds(seconds)}, not ${seconds} ms${high ? `: one failure takes the server out of rotation for that long.${safe(`write \`${meant}\` if ${seconds} ms (${formatSeconds(seconds / 1000)}) is meant${meant.endsWith("ms") ? "" : `: ${directive} takes whole seconds and rejects ms`}`)}` : "."}`,
        before: null,
        after: node.value,
        figures: { seconds },
        checklist: [
          `Write the unit explicitly (\`${nginxTime(seconds, directive) ?? `${seconds}s`}\`, or \`${meant}\` for ${seconds} ms).`,
        ],
      });
    };
    for (const { after, name, own, path } of directiveEdits(file, TIME_DIRECTIVES)) {
      if (!own) continue;
      const seconds = suspect(own.value, params.floorSeconds);
      if (seconds !== undefined) report(own, `${name} in ${after.label}`, path, false, seconds);
    }
    for (const [previous, upstream] of withPrevious(
      upstreamsOf(file.before),
      upstreamsOf(file.after),
    )) {
      for (const [oldServer, server] of withPrevious(previous?.servers ?? [], upstream.servers)) {
        for (const [name, node] of entriesOf(server.params)) {
          if (name !== "fail_timeout" && name !== "slow_start") continue;
          if (node.kind !== "scalar") continue;
          const was = child(oldServer?.params, name);
          if (was?.kind === "scalar" && was.value === node.value) continue;
          const seconds = suspect(node.value, params.floorSeconds);
          if (seconds !== undefined)
            report(
              node,
              `${name} of server ${server.address} in ${upstream.label}`,
              formatPath([...upstream.path, key("server"), key(server.address)]),
              name === "fail_timeout",
              seconds,
            );
        }
      }
    }
    return findings;
  },
});
