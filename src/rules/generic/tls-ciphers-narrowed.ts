import type { Dialect } from "../../formats/dialect.js";
import type { TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import { inheritedDirective } from "../model/nginx/blocks.js";
import { directiveEdits } from "../model/nginx/directive-edits.js";
import { tlsFloorsOf } from "../model/tls-floors.js";

// ngx_http_ssl_module: ssl_ciphers defaults to HIGH:!aNULL:!MD5 (docs/lb-facts.md §P2).
const NGINX_DEFAULT = "HIGH:!aNULL:!MD5";
const NGINX_DIRECTIVES = ["ssl_ciphers", "proxy_ssl_ciphers", "grpc_ssl_ciphers"];
// Broken or unauthenticated cryptography (docs/lb-facts.md §P7 TLS): dropping it is hardening, not narrowing.
const WEAK =
  /(^|[-+_])(RC4|3DES|DES|DES-CBC3|EXPORT|EXP|NULL|eNULL|aNULL|LOW|MD5|ADH|AECDH|RC2|IDEA|PSK|SRP|DSS|CAMELLIA|SEED)($|[-+_])/i;
// Classes wide enough that a suite dropped from the list beside them is still offered (OpenSSL ciphers(1)).
const WIDE = /^(ALL|DEFAULT|HIGH|COMPLEMENTOFDEFAULT|COMPLEMENTOFALL)$/;

interface Parsed {
  readonly included: readonly string[];
  readonly excluded: ReadonlySet<string>;
}

/** OpenSSL cipher strings (`A:B:!C`), Envoy lists with `[A|B]` groups, Traefik suite lists. */
function parse(text: string): Parsed {
  const words = text
    .split(/[:\s,|[\]]+/)
    .map((word) => word.trim())
    .filter(Boolean);
  return {
    included: words.filter((word) => !/^[!+-]/.test(word) && !word.startsWith("@")),
    excluded: new Set(words.filter((word) => /^[!-]/.test(word)).map((word) => word.slice(1))),
  };
}

/** What a new list no longer offers: suites or classes dropped, and new exclusions of strong suites. */
function narrowing(before: string, after: string): string[] {
  const was = parse(before);
  const now = parse(after);
  const wide = now.included.some((word) => WIDE.test(word));
  const dropped = was.included.filter(
    (word) => !now.included.includes(word) && !WEAK.test(word) && (WIDE.test(word) || !wide),
  );
  const excluded = [...now.excluded].filter((word) => !was.excluded.has(word) && !WEAK.test(word));
  return [...dropped, ...excluded.map((word) => `!${word}`)];
}

interface CipherPair {
  readonly label: string;
  readonly before: string;
  readonly after: string;
  readonly line: number;
  readonly path: string;
  readonly peers: "clients" | "servers";
}

function pairsOf(dialect: Dialect, before: TreeNode | null, after: TreeNode | null): CipherPair[] {
  if (dialect === "nginx")
    return directiveEdits({ before, after }, NGINX_DIRECTIVES).flatMap((edit) => {
      // A new block, or a list removed (the default or an include applies): not a narrowing seen here.
      if (edit.fresh || !edit.before || !edit.own) return [];
      return [
        {
          label: `${edit.name} in ${edit.after.label}`,
          before: String(inheritedDirective(edit.before, edit.name)?.value ?? NGINX_DEFAULT),
          after: String(edit.own.value),
          line: edit.own.line,
          path: edit.path,
          peers: edit.name === "ssl_ciphers" ? ("clients" as const) : ("servers" as const),
        },
      ];
    });
  const old = new Map(tlsFloorsOf(dialect, before).map((context) => [context.key, context]));
  return tlsFloorsOf(dialect, after).flatMap((now) => {
    const was = old.get(now.key);
    // Only lists written on both sides: a product's default list is long and not modelled here.
    if (!was?.ciphers || !now.ciphers) return [];
    return [
      {
        label: now.label.startsWith("global ssl-default-")
          ? now.label.replace(/-options$/, "-ciphers")
          : `cipher list of ${now.label}`,
        before: was.ciphers.text,
        after: now.ciphers.text,
        line: now.ciphers.line,
        path: now.path,
        peers: now.peers,
      },
    ];
  });
}

/**
 * A cipher list that offers fewer strong suites than before (docs/risk.md, TLS): clients (or servers) that only
 * share the dropped suites fail the handshake.
 */
export default defineRule({
  id: "generic.tls.ciphers-narrowed",
  family: "generic",
  title: "TLS cipher list narrowed",
  description:
    "A cipher list drops suites or classes it offered, or excludes strong ones it did not: nginx `ssl_ciphers` " +
    "(default HIGH:!aNULL:!MD5), HAProxy `ssl-default-bind-ciphers`/`ssl-default-server-ciphers`, Envoy " +
    "`cipher_suites`, Traefik `cipherSuites`, ingress-nginx `ssl-ciphers`. High: peers that only share the dropped " +
    "suites fail the handshake. Dropping weak suites (RC4, 3DES, EXPORT, NULL, anonymous, MD5…) is hardening and " +
    "not reported; a suite dropped beside a wide class (ALL, DEFAULT, HIGH) is still offered. Adding weak suites is " +
    "nginx.ssl-ciphers.weakened's.",
  severity: "high",
  params: {},
  dialects: ["nginx", "haproxy", "envoy", "traefik", "kubernetes"],
  check(file) {
    const findings: Detection[] = [];
    for (const pair of pairsOf(file.dialect, file.before, file.after)) {
      const lost = narrowing(pair.before, pair.after);
      if (lost.length === 0) continue;
      const shown =
        lost.length > 6
          ? `${lost.slice(0, 6).join(", ")} and ${lost.length - 6} more`
          : lost.join(", ");
      findings.push({
        severity: "high",
        line: pair.line,
        path: pair.path,
        message:
          `${pair.label} is narrowed (no longer offers ${shown}): ${pair.peers} that only share those suites fail the TLS handshake. ` +
          `Safe: keep the old list \`${pair.before.length > 80 ? `${pair.before.slice(0, 77)}...` : pair.before}\` until handshake logs show no peer using the dropped suites.`,
        before: pair.before,
        after: pair.after,
        checklist: [
          `Check which ${pair.peers} negotiate the dropped suites (access logs with $ssl_cipher, or a TLS scanner) before narrowing the list.`,
        ],
      });
    }
    return findings;
  },
});
