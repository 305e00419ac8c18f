import { formatPath, item, key, type PathSegment } from "../../diff/path.js";
import { scalarAt, type TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { fieldAt } from "../model/envoy/fields.js";
import { lineFix } from "../model/fix.js";

// Every IPv4 or IPv6 interface: the admin interface answers anyone who can route to the host.
const WILDCARD = new Set(["0.0.0.0", "::", "[::]", "::0", "*"]);

interface Admin {
  readonly address: string;
  readonly port: string;
  readonly line: number;
  readonly path: string;
}

function adminsOf(tree: TreeNode | null): Admin[] {
  if (!tree) return [];
  const multi = tree.kind === "list";
  return (multi ? tree.items : [tree]).flatMap((document, index) => {
    const socket = fieldAt(document, "admin", "address", "socket_address");
    if (!socket) return [];
    const address = fieldAt(socket, "address");
    const base: PathSegment[] = multi ? [item(String(index))] : [];
    return [
      {
        address: String(scalarAt(socket, "address") ?? ""),
        port: String(scalarAt(socket, "port_value") ?? scalarAt(socket, "portValue") ?? "?"),
        line: address?.line ?? socket.line,
        path: formatPath([...base, key("admin"), key("address"), key("socket_address")]),
      },
    ];
  });
}

/**
 * Envoy's admin interface has no authentication: whoever reaches it can read the whole config (secrets
 * included in /config_dump), change runtime values, fail health checks and stop the proxy (/quitquitquit).
 * Envoy's docs say to bind it to a private address (docs/lb-facts.md §P3).
 */
export default defineRule({
  id: "envoy.admin.exposed",
  family: "envoy",
  title: "Envoy admin interface bound to every interface",
  description:
    "`admin.address.socket_address.address` is `0.0.0.0` or `::` in a new file, a new admin block, or where it " +
    "was a loopback or private address: the unauthenticated admin endpoints (config and secrets dump, runtime " +
    "changes, /healthcheck/fail, /quitquitquit) answer anyone who can reach the host (high).",
  severity: "high",
  params: {},
  dialects: ["envoy"],
  check(file) {
    const findings: Detection[] = [];
    const before = adminsOf(file.before);
    adminsOf(file.after).forEach((admin, index) => {
      if (!WILDCARD.has(admin.address)) return;
      const was = before[index];
      if (was && WILDCARD.has(was.address)) return;
      const fix = lineFix(file, admin.line, [{ keys: ["address"], value: "127.0.0.1" }]);
      findings.push({
        severity: "high",
        line: admin.line,
        path: admin.path,
        message: `the admin interface listens on ${admin.address}:${admin.port}${was ? ` (was ${was.address}:${was.port})` : ""}: its unauthenticated endpoints (config dump with secrets, runtime changes, /healthcheck/fail, /quitquitquit) answer anyone who can reach the host. Safe: \`address: 127.0.0.1\` (or a Unix socket with \`pipe\`).`,
        before: was ? `${was.address}:${was.port}` : null,
        after: `${admin.address}:${admin.port}`,
        checklist: [
          `Bind the admin interface to 127.0.0.1 (or a Unix socket with \`pipe\`) and reach it through the host, or make sure no network outside the host can reach port ${admin.port}.`,
        ],
        ...(fix ? { fix } : {}),
      });
    });
    return findings;
  },
});
