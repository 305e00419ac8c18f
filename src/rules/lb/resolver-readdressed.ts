import type { Dialect } from "../../formats/dialect.js";
import { child, entriesOf, itemsOf, type TreeNode } from "../../formats/tree.js";
import { nameList } from "../message.js";
import { haproxySections } from "../model/haproxy/sections.js";
import { serversOf as haproxyServers } from "../model/haproxy/servers.js";
import { nginxBlocks } from "../model/nginx/blocks.js";
import { hasFlag, upstreamsOf } from "../model/nginx/upstreams.js";
import { defineRule, type Detection } from "../types.js";

/** The DNS servers a proxy asks, by where they are declared (`http`, `resolvers dns`), with what depends on them. */
interface Resolver {
  readonly key: string;
  readonly label: string;
  readonly line: number;
  readonly path: string;
  /** `10.0.0.2:53`: a bare address gets DNS's port 53 (nginx `resolver`, HAProxy `nameserver`). */
  readonly addresses: readonly string[];
}

const withPort = (address: string): string => {
  const lower = address.toLowerCase();
  return !/^\[.*\]$/.test(lower) && /:\d+$/.test(lower) ? lower : `${lower}:53`;
};

/** nginx `resolver ADDRESS ... [valid=] [ipv6=off] [status_zone=]`: the words before the first `name=value`. */
function nginxResolvers(tree: TreeNode): Resolver[] {
  return nginxBlocks(tree).flatMap((block) => {
    const node = itemsOf(child(block.body, "resolver")).at(-1);
    if (node?.kind !== "scalar" || node.value === null) return [];
    const words = String(node.value).trim().split(/\s+/);
    const addresses = words.filter((word) => !word.includes("=")).map(withPort);
    const where = block.path
      .map((segment) => (segment.kind === "key" ? segment.key : segment.label))
      .join(" ");
    return [
      {
        key: where,
        label: `resolver${where ? ` of ${where}` : ""}`,
        line: node.line,
        path: `${where ? `${where}.` : ""}resolver`,
        addresses,
      },
    ];
  });
}

/** HAProxy `resolvers NAME` sections and their `nameserver ID ADDRESS:PORT` lines. */
function haproxyResolvers(tree: TreeNode): Resolver[] {
  return entriesOf(child(tree, "resolvers")).flatMap(([name, body]) => {
    const nameservers = entriesOf(child(body, "nameserver")).flatMap(([, value]) =>
      itemsOf(value).flatMap((node) =>
        node.kind === "scalar" && node.value !== null
          ? [{ address: String(node.value).split(/\s+/)[0]!, line: node.line }]
          : [],
      ),
    );
    return [
      {
        key: name,
        label: `resolvers ${name}`,
        line: nameservers[0]?.line ?? body.line,
        path: `resolvers.${name}.nameserver`,
        addresses: nameservers.map((entry) => withPort(entry.address)),
      },
    ];
  });
}

/** What resolves names at run time through the resolver: the pools a wrong resolver leaves empty. */
function dependents(dialect: Dialect, tree: TreeNode, resolver: Resolver): string[] {
  if (dialect === "nginx") {
    const resolved = upstreamsOf(tree).flatMap((upstream) =>
      upstream.servers.some((server) => hasFlag(server, "resolve")) ? [upstream.label] : [],
    );
    return resolved;
  }
  return haproxySections(tree).flatMap((section) =>
    haproxyServers(section).some((server) => {
      const uses = child(server.node, "resolvers");
      return uses?.kind === "scalar" && String(uses.value) === resolver.key;
    })
      ? [section.label]
      : [],
  );
}

const resolversOf = (dialect: Dialect, tree: TreeNode | null): Resolver[] =>
  !tree ? [] : dialect === "nginx" ? nginxResolvers(tree) : haproxyResolvers(tree);

/** A resolver re-addressed as a whole: the servers found through it vanish if the new one does not answer. */
export default defineRule({
  id: "lb.resolver.readdressed",
  family: "lb",
  title: "DNS resolver of discovered servers re-addressed",
  description:
    "The DNS servers that a proxy resolves its upstream servers through at run time change completely (nginx " +
    "`resolver` with upstream servers marked `resolve`; HAProxy `resolvers` sections named by servers or " +
    "server-templates): if the new resolver does not answer, or answers other records, those pools have no servers. " +
    "High. A resolver that keeps one of its addresses, or that no pool depends on, does not fire.",
  severity: "high",
  params: {},
  dialects: ["nginx", "haproxy"],
  check(file) {
    if (!file.before || !file.after) return [];
    const findings: Detection[] = [];
    const before = new Map(
      resolversOf(file.dialect, file.before).map((resolver) => [resolver.key, resolver]),
    );
    for (const now of resolversOf(file.dialect, file.after)) {
      const was = before.get(now.key);
      if (!was || was.addresses.length === 0 || now.addresses.length === 0) continue;
      if (now.addresses.some((address) => was.addresses.includes(address))) continue;
      const pools = dependents(file.dialect, file.after, now);
      if (pools.length === 0) continue;
      findings.push({
        severity: "high",
        line: now.line,
        path: now.path,
        message:
          `${now.label} moves from ${nameList(was.addresses)} to ${nameList(now.addresses)}: ${nameList(pools)} ` +
          `${pools.length === 1 ? "finds its" : "find their"} servers through it at run time, so if the new resolver does not answer (or answers other records) ${pools.length === 1 ? "it has" : "they have"} no servers. ` +
          `Safe: ${
            file.dialect === "nginx"
              ? `\`resolver ${[...now.addresses, ...was.addresses].join(" ")};\``
              : `keep \`nameserver old ${was.addresses[0]!}\` next to the new nameserver`
          } until the new one is proven.`,
        before: [...was.addresses],
        after: [...now.addresses],
        checklist: [
          `Confirm ${nameList(now.addresses)} answers the names ${nameList(pools)} resolve${pools.length === 1 ? "s" : ""}.`,
        ],
      });
    }
    return findings;
  },
});
