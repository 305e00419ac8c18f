// HAProxy → one HealthCheck per server with `check` on (server params > the section's default-server lines above it >
// the defaults chain's default-server > HAProxy defaults) and one Affinity per backend/listen.
import { at, child, itemsOf, type TreeNode } from "../../../formats/tree.js";
import type { Affinity } from "../affinity.js";
import type { DialectModel } from "../dialect-model.js";
import { haproxySeconds } from "../durations.js";
import { toNumber, type Figure } from "../figures.js";
import type { HealthCheck } from "../health-check.js";
import {
  haproxySections,
  holdsServers,
  inheritedValue,
  lastScalar,
  sectionPath,
  type HaproxySection,
  type Located,
} from "./sections.js";
import { flag, param, serversOf, type HaproxyServer } from "./servers.js";

// HAProxy manual §5.2 (docs/lb-facts.md §P1): inter 2000 ms, rise 2, fall 3; fastinter falls back to inter.
const DEFAULT_INTER_SECONDS = 2;
const DEFAULT_RISE = 2;
const DEFAULT_FALL = 3;
const DEFAULTS_SOURCE = "HAProxy defaults (inter 2 s, fall 3, rise 2; fastinter = inter)";

/** The backend and listen sections, in file order. */
const proxiesOf = (root: TreeNode): HaproxySection[] => haproxySections(root).filter(holdsServers);

function healthChecks(root: TreeNode): HealthCheck[] {
  return proxiesOf(root).flatMap((proxy) => {
    // Unset `timeout check` leaves inter as the whole check timeout (docs/lb-facts.md §P1): no separate figure.
    // A section's setting: read once for all its servers.
    let timeout: Figure | undefined | null = null;
    return serversOf(proxy).flatMap((server) => {
      if (!flag(server, "check")) return [];
      if (timeout === null)
        timeout = figure(inheritedValue(proxy, "timeout", "check"), haproxySeconds);
      return [serverCheck(proxy, server, timeout)];
    });
  });
}

function serverCheck(
  proxy: HaproxySection,
  server: HaproxyServer,
  timeout: Figure | undefined,
): HealthCheck {
  const line = server.line;
  const inter = figure(param(server, "inter"), haproxySeconds, DEFAULT_INTER_SECONDS, line);
  const fastinterParam = param(server, "fastinter");
  const fastinter = fastinterParam ? figure(fastinterParam, haproxySeconds) : inter;
  const fall = figure(param(server, "fall"), toNumber, DEFAULT_FALL, line);
  const rise = figure(param(server, "rise"), toNumber, DEFAULT_RISE, line);
  return {
    // The section's own key numbers repeated sections; a check is keyed by the section's name alone.
    key: `${proxy.kind}:${proxy.name}${server.key.slice(proxy.key.length)}`,
    label: server.label,
    provider: "haproxy",
    path: sectionPath(proxy, server.keyword, server.name),
    line,
    intervalSeconds: inter,
    timeoutSeconds: timeout,
    unhealthyThreshold: fall,
    healthyThreshold: rise,
    // docs/lb-facts.md §P6: down after ≈ inter + (fall − 1) × fastinter.
    ejectAfterSeconds:
      inter && fastinter && fall
        ? roundMs(inter.value + (fall.value - 1) * fastinter.value)
        : undefined,
    // Judgement (docs/lb-facts.md §P7 Detection time; `timeout check` in §P1): HAProxy accepts any value, but a check
    // timeout reaching inter leaves no slack between checks, as on AWS.
    timeoutRule: "below-interval",
    defaultsSource: DEFAULTS_SOURCE,
  };
}

/** A figure from where the value was written, or the default on the owner's line; undefined if unreadable. */
function figure(
  found: Located | undefined,
  read: (value: unknown) => number | undefined,
  fallback?: number,
  line?: number,
): Figure | undefined {
  if (found) {
    const value = read(found.node.value);
    return value === undefined ? undefined : { value, line: found.line, explicit: true };
  }
  return fallback === undefined || line === undefined
    ? undefined
    : { value: fallback, line, explicit: false };
}

const roundMs = (seconds: number): number => Math.round(seconds * 1000) / 1000;

// --- affinity ---

// Algorithms that map a client or request key to a server (docs/lb-facts.md §P1, "Affinity by balance algorithm").
const KEYED_BALANCE = /^(source|uri|url_param|hash|hdr\(|rdp-cookie)/;

function affinities(root: TreeNode): Affinity[] {
  return proxiesOf(root).map((proxy) => proxyAffinity(root, proxy));
}

// `cookie` and `stick` persistence override `balance` (docs/lb-facts.md §P1), so they are looked at first.
function proxyAffinity(root: TreeNode, proxy: HaproxySection): Affinity {
  const identity = { key: `${proxy.kind}:${proxy.name}`, label: `${proxy.kind} ${proxy.name}` };
  const pathOf = (...keys: string[]): string => sectionPath(proxy, ...keys);

  const cookie = inheritedValue(proxy, "cookie");
  if (cookie && typeof cookie.node.value === "string") {
    const words = cookie.node.value.split(/\s+/);
    return {
      ...identity,
      path: pathOf("cookie"),
      line: cookie.line,
      enabled: true,
      mode: "cookie",
      cookieName: words[0],
      durationSeconds: cookieLifetime(words, cookie.line),
    };
  }

  const stick = stickRule(proxy);
  if (stick) {
    const table = stickTable(root, proxy, stick.table);
    return {
      ...identity,
      path: pathOf("stick", stick.kind),
      line: stick.line,
      enabled: true,
      // The pattern is the affinity key: `stick on src` → `stick on hdr(x-user)` re-pins everyone.
      mode: `stick ${stick.kind} ${stick.pattern}`,
      durationSeconds: table ? tableExpiry(table) : undefined,
    };
  }

  const balance = inheritedValue(proxy, "balance");
  const algorithm =
    typeof balance?.node.value === "string" ? balance.node.value.replace(/\s+/g, " ") : undefined;
  if (balance && algorithm && KEYED_BALANCE.test(algorithm)) {
    const hashType = inheritedValue(proxy, "hash-type")?.node.value;
    // map-based (sdbm) is the default hash-type; anything else changes which server a key maps to.
    const hashed =
      typeof hashType === "string" && !/^map-based( sdbm)?$/.test(hashType)
        ? ` (hash-type ${hashType})`
        : "";
    return {
      ...identity,
      path: pathOf("balance"),
      line: balance.line,
      enabled: true,
      mode: `balance ${algorithm}${hashed}`,
    };
  }
  return {
    ...identity,
    path: balance ? pathOf("balance") : pathOf(),
    line: balance?.line ?? proxy.line,
    enabled: false,
    mode: algorithm === undefined ? undefined : `balance ${algorithm}`,
  };
}

// `maxlife` bounds a cookie's whole life, `maxidle` its idle time; both are in seconds by default (HAProxy
// manual §4.2 `cookie`). Without either the cookie lives as long as the browser keeps it: no figure.
function cookieLifetime(words: readonly string[], line: number): Figure | undefined {
  for (const option of ["maxlife", "maxidle"]) {
    const index = words.indexOf(option);
    const value = index > 0 ? secondsByDefault(words[index + 1]) : undefined;
    if (value !== undefined) return { value, line, explicit: true };
  }
  return undefined;
}

function secondsByDefault(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : haproxySeconds(text);
}

interface StickRule {
  readonly kind: "on" | "match";
  readonly pattern: string;
  readonly table: string | undefined;
  readonly line: number;
}

// Only `stick on` / `stick match` route requests by the table; a stick-table alone (rate limiting with
// track-sc counters) pins nobody.
function stickRule(proxy: HaproxySection): StickRule | undefined {
  for (const kind of ["on", "match"] as const) {
    // Several rules of a kind are tried in order; the first one names the main key.
    const rule = itemsOf(at(proxy.body, "stick", kind))[0];
    if (rule?.kind === "scalar" && typeof rule.value === "string") {
      const words = rule.value.split(/\s+/);
      const tableAt = words.indexOf("table");
      return {
        kind,
        pattern: words[0] ?? "",
        table: tableAt >= 0 ? words[tableAt + 1] : undefined,
        line: rule.line,
      };
    }
  }
  return undefined;
}

/** The proxy's own `stick-table`, or the one of the proxy named by `table NAME`. */
function stickTable(
  root: TreeNode,
  proxy: HaproxySection,
  table: string | undefined,
): Located | undefined {
  const owners =
    table === undefined
      ? [proxy.body]
      : ["backend", "listen", "frontend"].flatMap((kind) => itemsOf(at(root, kind, table)));
  for (const owner of owners) {
    const node = lastScalar(child(owner, "stick-table"));
    if (node) return { node, line: node.line };
  }
  return undefined;
}

// `expire` uses HAProxy's time format (milliseconds by default); no expire = entries live until evicted.
function tableExpiry(table: Located): Figure | undefined {
  const text = typeof table.node.value === "string" ? table.node.value : "";
  const match = /(?:^|\s)expire\s+(\S+)/.exec(text);
  const value = match ? haproxySeconds(match[1]) : undefined;
  return value === undefined ? undefined : { value, line: table.line, explicit: true };
}

export const haproxyModel: DialectModel = { healthChecks, affinities };
