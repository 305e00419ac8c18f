// Parameters of HAProxy `server`, `server-template` and `default-server` lines.
// Keyword list: HAProxy configuration manual §5.2 "Server and default-server options", cross-checked with the
// option table of haproxytech/config-parser (params/server-options.go) and the 3.x additions
// (init-state, check-reuse-pool, strict-maxconn, ...).
import { scalarNode, type ScalarNode } from "./tree.js";

/** Options that stand alone. Every `no-*` option is a flag too. */
const FLAGS = new Set([
  "agent-check",
  "allow-0rtt",
  "backup",
  "check",
  "check-reuse-pool",
  "check-send-proxy",
  "check-ssl",
  "check-via-socks4",
  "disabled",
  "enabled",
  "force-sslv3",
  "force-tlsv10",
  "force-tlsv11",
  "force-tlsv12",
  "force-tlsv13",
  "non-stick",
  "renegotiate",
  "send-proxy",
  "send-proxy-v2",
  "send-proxy-v2-ssl",
  "send-proxy-v2-ssl-cn",
  "ssl",
  "ssl-reuse",
  "stick",
  "strict-maxconn",
  "tfo",
  "tls-tickets",
]);

/** Options followed by exactly one value. */
const VALUED = new Set([
  "addr",
  "agent-addr",
  "agent-inter",
  "agent-port",
  "agent-send",
  "alpn",
  "ca-file",
  "check-alpn",
  "check-pool-conn-name",
  "check-proto",
  "check-sni",
  "ciphers",
  "ciphersuites",
  "client-sigalgs",
  "cookie",
  "crl-file",
  "crt",
  "curves",
  "downinter",
  "error-limit",
  "fall",
  "fastinter",
  "guid",
  "hash-key",
  "id",
  "idle-ping",
  "init-addr",
  "init-state",
  "inter",
  "interface",
  "log-bufsize",
  "log-proto",
  "max-reuse",
  "maxconn",
  "maxqueue",
  "minconn",
  "namespace",
  "npn",
  "observe",
  "on-error",
  "on-marked-down",
  "on-marked-up",
  "pool-conn-name",
  "pool-low-conn",
  "pool-max-conn",
  "pool-purge-delay",
  "port",
  "proto",
  "proxy-v2-options",
  "redir",
  "resolve-net",
  "resolve-opts",
  "resolve-prefer",
  "resolvers",
  "rise",
  "shard",
  "sigalgs",
  "slowstart",
  "sni",
  "socks4",
  "source",
  "ssl-max-ver",
  "ssl-min-ver",
  "tcp-ut",
  "track",
  "usesrc",
  "verify",
  "verifyhost",
  "weight",
  "ws",
]);

/** Values that are names even when they look like numbers (a cookie value is an opaque string). */
const TEXT_VALUED = new Set(["cookie"]);

const isFlag = (word: string): boolean => FLAGS.has(word) || word.startsWith("no-");
// `set-proxy-v2-tlv-fmt(<id>) <fmt>` carries its argument in the keyword.
const isValued = (word: string): boolean => VALUED.has(word) || /^[a-z0-9-]+\(.*\)$/.test(word);
const isKnown = (word: string): boolean => isFlag(word) || isValued(word);

export interface ServerParams {
  readonly params: Map<string, ScalarNode>;
  /** A keyword that needs a value and has none. */
  readonly missing: string[];
}

/**
 * Reads `keyword [value]` pairs. An unknown keyword takes the next word as its value unless that word is a known
 * keyword or there is none: a new HAProxy option then shows as `opt: "value"` rather than as two stray flags, and a
 * new flag followed by a known option stays a flag. A repeated keyword keeps its last value, as HAProxy applies them in order.
 */
export function parseServerParams(words: readonly string[], line: number): ServerParams {
  const params = new Map<string, ScalarNode>();
  const missing: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const keyword = words[i]!;
    const next = words[i + 1];
    if (isFlag(keyword) || (!isValued(keyword) && (next === undefined || isKnown(next)))) {
      params.set(keyword, scalarNode(line, true));
      continue;
    }
    if (next === undefined) {
      missing.push(keyword);
      continue;
    }
    params.set(keyword, scalarNode(line, TEXT_VALUED.has(keyword) ? next : haproxyScalar(next)));
    i++;
  }
  return { params, missing };
}

/** A plain integer becomes a number (`inter 2000` is milliseconds by HAProxy's rule); `2s`, `010`, `1.5` stay text. */
export function haproxyScalar(text: string): string | number {
  return /^(0|[1-9]\d{0,14})$/.test(text) ? Number(text) : text;
}
