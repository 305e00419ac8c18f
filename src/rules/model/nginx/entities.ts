// nginx → health checks (open-source passive failure counting per upstream server, NGINX Plus `health_check`
// per proxied upstream) and one Affinity per upstream group.
import { formatPath, key } from "../../../diff/path.js";
import { child, itemsOf, type ScalarNode, type TreeNode } from "../../../formats/tree.js";
import type { Affinity } from "../affinity.js";
import type { DialectModel } from "../dialect-model.js";
import { nginxSeconds } from "../durations.js";
import { toNumber, type Figure } from "../figures.js";
import type { HealthCheck } from "../health-check.js";
import { memoByNode } from "../memo.js";
import { nginxBlocks, passedUpstream } from "./blocks.js";
import { serverPath, upstreamsOf, type Upstream } from "./upstreams.js";

// ngx_http_upstream_module `server` (docs/lb-facts.md §P2): max_fails 1 (0 = no failure counting), fail_timeout 10 s.
const DEFAULT_MAX_FAILS = 1;
/**
 * Passive checks have no interval: a server is taken out once max_fails attempts have failed within fail_timeout,
 * and each attempt fails as soon as the connection is refused or after a proxy timeout (60 s by default,
 * ngx_http_proxy_module). Failures of concurrent requests overlap, so neither max_fails nor fail_timeout moves
 * that time. The eject figure is therefore this constant on both sides of a change: the time-based rules stay
 * quiet, and only the "threshold drops to 1" clause (which needs both eject figures) can fire on max_fails.
 */
const PASSIVE_EJECT_SECONDS = 60;
// ngx_http_upstream_hc_module (docs/lb-facts.md §P2): interval 5 s, fails 1, passes 1.
const PLUS_INTERVAL_SECONDS = 5;
const PLUS_FAILS = 1;
const PLUS_PASSES = 1;

const scope = (block: { stream: boolean }): string => (block.stream ? "stream/" : "");
const groupLabel = (name: string, stream: boolean): string =>
  `${stream ? "stream upstream" : "upstream"} ${name}`;

function healthChecks(tree: TreeNode): HealthCheck[] {
  return [...upstreamsOf(tree).flatMap(passiveChecks), ...plusChecks(tree)];
}

function passiveChecks(upstream: Upstream): HealthCheck[] {
  const servers = upstream.servers;
  // A group of one server ignores max_fails and fail_timeout (docs/lb-facts.md §P2). A host name
  // may resolve to several addresses, which nginx then balances as several servers, so only a literal counts.
  if (servers.length === 1 && isLiteralAddress(servers[0]!.address)) return [];
  return servers.flatMap((server) => {
    const params = server.params;
    if (child(params, "down") !== undefined) return [];
    const maxFails = child(params, "max_fails");
    const threshold =
      maxFails === undefined
        ? { value: DEFAULT_MAX_FAILS, line: params.line, explicit: false }
        : numberFigure(maxFails);
    if (threshold?.value === 0) return [];
    return [
      {
        key: `${upstream.key}/server:${server.key}`,
        label: `server ${server.address} of ${upstream.label}`,
        provider: "nginx" as const,
        path: serverPath(upstream, server),
        line: params.line,
        unhealthyThreshold: threshold,
        ejectAfterSeconds: PASSIVE_EJECT_SECONDS,
        timeoutRule: "none" as const,
        defaultsSource: "nginx upstream defaults (max_fails 1, fail_timeout 10 s)",
      },
    ];
  });
}

function isLiteralAddress(address: string): boolean {
  return /^(unix:|\[|\d+\.\d+\.\d+\.\d+(:\d+)?$)/.test(address);
}

/** One NGINX Plus `health_check` where it stands: the location (http) or server (stream) passing to a group. */
export interface PlusCheckSite {
  /** `upstream:app/health_check`, `stream/upstream:db/health_check#2` (the health-check model's key). */
  readonly key: string;
  readonly upstream: string;
  readonly stream: boolean;
  /** `health check of upstream app`. */
  readonly label: string;
  readonly path: string;
  readonly node: ScalarNode;
  /** Its `name=value` parameters (`interval`, `fails`, `uri`, `port`, `match` ...). */
  readonly params: ReadonlyMap<string, string>;
}

/** The NGINX Plus checks of a tree, found once per tree for the health-check model and the nginx rules. */
export const plusCheckSites = memoByNode((tree: TreeNode): PlusCheckSite[] => {
  const seen = new Map<string, number>();
  return nginxBlocks(tree).flatMap((block) => {
    // Few blocks have a check: look for one before reading where the block passes to.
    const checks = itemsOf(child(block.body, "health_check"));
    if (checks.length === 0) return [];
    const upstream = passedUpstream(block.body);
    if (upstream === undefined) return [];
    return checks.flatMap((node) => {
      if (node.kind !== "scalar") return [];
      const base = `${scope(block)}upstream:${upstream}/health_check`;
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      return [
        {
          key: count > 1 ? `${base}#${count}` : base,
          upstream,
          stream: block.stream,
          label: `health check of ${groupLabel(upstream, block.stream)}`,
          path: formatPath([...block.path, key("health_check")]),
          node,
          params: checkParams(node),
        },
      ];
    });
  });
});

// NGINX Plus active checks: `health_check` in the location (http) or server (stream) that passes to the group.
function plusChecks(tree: TreeNode): HealthCheck[] {
  return plusCheckSites(tree).map(({ key: checkKey, label, path, node, params }) => {
    const figure = (name: string, read: (v: unknown) => number | undefined, fallback: number) => {
      const text = params.get(name);
      if (text === undefined) return { value: fallback, line: node.line, explicit: false };
      const value = read(text);
      return value === undefined ? undefined : { value, line: node.line, explicit: true };
    };
    const interval = figure("interval", nginxSeconds, PLUS_INTERVAL_SECONDS);
    const fails = figure("fails", toNumber, PLUS_FAILS);
    return {
      key: checkKey,
      label,
      provider: "nginx-plus" as const,
      path,
      line: node.line,
      intervalSeconds: interval,
      unhealthyThreshold: fails,
      healthyThreshold: figure("passes", toNumber, PLUS_PASSES),
      // docs/lb-facts.md §P6: NGINX Plus marks a server down after fails × interval.
      ejectAfterSeconds: interval && fails ? interval.value * fails.value : undefined,
      // The check's timeouts are the location's proxy timeouts, not a health_check parameter.
      timeoutRule: "none" as const,
      defaultsSource: "NGINX Plus health_check defaults (interval 5 s, fails 1, passes 1)",
    };
  });
}

/** `health_check interval=2s fails=3 match=ok mandatory` → { interval: "2s", fails: "3", ... }. */
function checkParams(node: ScalarNode): Map<string, string> {
  const params = new Map<string, string>();
  if (typeof node.value !== "string") return params;
  for (const word of node.value.split(/\s+/)) {
    const eq = word.indexOf("=");
    if (eq > 0) params.set(word.slice(0, eq), word.slice(eq + 1));
  }
  return params;
}

function numberFigure(node: TreeNode): Figure | undefined {
  const value = node.kind === "scalar" ? toNumber(node.value) : undefined;
  return value === undefined ? undefined : { value, line: node.line, explicit: true };
}

// --- affinity ---

// `sticky expires=max` sets the cookie to expire in 2037 (ngx_http_upstream_module): ten years stands for it.
const EXPIRES_MAX_SECONDS = 10 * 365 * 86400;
// `sticky learn` forgets sessions not accessed for `timeout`, 10 minutes by default (ngx_http_upstream_module).
const LEARN_TIMEOUT_SECONDS = 600;

function affinities(tree: TreeNode): Affinity[] {
  return upstreamsOf(tree).map(upstreamAffinity);
}

// `sticky` pins requests that carry its cookie or route before the balancing method runs, so it wins over
// ip_hash/hash as HAProxy's cookie wins over balance.
function upstreamAffinity(upstream: Upstream): Affinity {
  const identity = { key: upstream.key, label: upstream.label };
  const pathOf = (...keys: string[]): string =>
    formatPath([...upstream.path, ...keys.map((name) => key(name))]);
  const directive = (name: string): ScalarNode | undefined => {
    const node = itemsOf(child(upstream.body, name))[0];
    return node?.kind === "scalar" ? node : undefined;
  };

  const sticky = directive("sticky");
  if (sticky) return { ...identity, path: pathOf("sticky"), ...stickyAffinity(sticky) };
  const hash = directive("hash");
  if (hash && typeof hash.value === "string") {
    // The whole value is the mode: the key and the `consistent` flag both decide where a key lands.
    const mode = `hash ${hash.value.replace(/\s+/g, " ")}`;
    return { ...identity, path: pathOf("hash"), line: hash.line, enabled: true, mode };
  }
  const ipHash = directive("ip_hash");
  if (ipHash)
    return {
      ...identity,
      path: pathOf("ip_hash"),
      line: ipHash.line,
      enabled: true,
      mode: "ip_hash",
    };
  // Nothing pins: the mode is the balancing method in force, so a removed hash reads
  // `hash $remote_addr consistent` → `round robin` (ngx_http_upstream_module: round robin by default).
  const method = BALANCING_METHODS.map((name) => [name, directive(name)] as const).find(
    ([, node]) => node,
  );
  const args = typeof method?.[1]?.value === "string" ? method[1].value.trim() : "";
  return {
    ...identity,
    path: pathOf(),
    line: upstream.line,
    enabled: false,
    mode: method ? `${method[0]}${args ? ` ${args}` : ""}` : "round robin",
  };
}

// Balancing methods that pin nothing (ngx_http_upstream_module; least_time is NGINX Plus).
const BALANCING_METHODS = ["least_conn", "least_time", "random"];

function stickyAffinity(
  node: ScalarNode,
): Pick<Affinity, "line" | "enabled" | "mode" | "cookieName" | "durationSeconds"> {
  const words = typeof node.value === "string" ? node.value.split(/\s+/) : [];
  const params = new Map(
    words.flatMap((word) => {
      const eq = word.indexOf("=");
      return eq > 0 ? [[word.slice(0, eq), word.slice(eq + 1)] as const] : [];
    }),
  );
  const seconds = (text: string | undefined, fallback?: number): Figure | undefined => {
    const value =
      text === undefined ? fallback : text === "max" ? EXPIRES_MAX_SECONDS : nginxSeconds(text);
    return value === undefined
      ? undefined
      : { value, line: node.line, explicit: text !== undefined };
  };
  const base = { line: node.line, enabled: true };
  switch (words[0]) {
    case "cookie":
      // No expires: a session cookie, which lives as long as the browser (no figure).
      return {
        ...base,
        mode: "sticky cookie",
        cookieName: words[1],
        durationSeconds: seconds(params.get("expires")),
      };
    case "route":
      return { ...base, mode: "sticky route" };
    case "learn":
      return {
        ...base,
        mode: "sticky learn",
        cookieName: /^\$(?:upstream_)?cookie_(\w+)$/.exec(params.get("lookup") ?? "")?.[1],
        durationSeconds: seconds(params.get("timeout"), LEARN_TIMEOUT_SECONDS),
      };
    default:
      // nginx-sticky-module-ng: `sticky [name=route] [expires=1h] ...`, cookie "route" by default.
      return {
        ...base,
        mode: "sticky",
        cookieName: params.get("name") ?? "route",
        durationSeconds: seconds(params.get("expires")),
      };
  }
}

export const nginxModel: DialectModel = { healthChecks, affinities };
