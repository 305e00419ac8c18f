import { defineRule, type Detection } from "../types.js";
import { inheritedDirective, type ScopedBlock } from "../model/nginx/blocks.js";
import { directiveEdits } from "../model/nginx/directive-edits.js";
import { safe } from "../model/advice.js";

// ngx_http_ssl_module (docs/lb-facts.md §P2): ssl_ciphers defaults to HIGH:!aNULL:!MD5.
const DEFAULT_CIPHERS = "HIGH:!aNULL:!MD5";
const DIRECTIVES = ["ssl_ciphers", "proxy_ssl_ciphers", "grpc_ssl_ciphers"];
// OpenSSL cipher-list words and suite names for broken or unauthenticated cryptography (docs/lb-facts.md §P7 TLS).
const WEAK =
  /(^|[-+_])(RC4|3DES|DES|DES-CBC3|EXPORT|EXP|NULL|eNULL|aNULL|LOW|MD5|ADH|AECDH|RC2|IDEA)($|[-+_])/i;
// Anonymous (unauthenticated) key exchange: strong ciphers, but open to a man in the middle.
const ANONYMOUS = /^(aNULL|ADH|AECDH|kEDH)$/i;
// Classes that hold only strong ciphers, but anonymous suites among them (OpenSSL `ciphers(1)`): only their
// `!aNULL`-style exclusions matter.
const STRONG_CLASS = /^(HIGH|EECDH|ECDHE|EDH|DHE|kEECDH|kEDH|AES|AES128|AES256|AESGCM|CHACHA20)$/;
// Classes wide enough to pull any weak suite back in once its exclusion is gone.
const WIDE_CLASS =
  /^(ALL|DEFAULT|COMPLEMENTOFDEFAULT|COMPLEMENTOFALL|MEDIUM|RSA|kRSA|aRSA|SHA|SHA1)$/;

interface CipherList {
  readonly included: readonly string[];
  readonly excluded: ReadonlySet<string>;
}

function parse(value: unknown): CipherList {
  const words = String(value ?? DEFAULT_CIPHERS)
    .split(/[:\s,]+/)
    .filter(Boolean);
  const included = words.filter((word) => !/^[!+-]/.test(word) && !word.startsWith("@"));
  const excluded = new Set(words.filter((word) => /^[!-]/.test(word)).map((word) => word.slice(1)));
  return { included, excluded };
}

const ciphers = (block: ScopedBlock | undefined, name: string): CipherList =>
  parse(inheritedDirective(block, name)?.value);

/** Weak suites let an attacker decrypt or forge traffic; exclusions removed from a broad class re-enable them. */
export default defineRule({
  id: "nginx.ssl-ciphers.weakened",
  family: "nginx",
  title: "Weak TLS cipher suites enabled",
  description:
    "ssl_ciphers (or proxy_/grpc_ssl_ciphers) gains RC4, 3DES/DES, EXPORT, NULL, anonymous (aNULL, ADH) or LOW " +
    "suites, or drops a `!` exclusion of them while keeping a class that contains them (ALL, DEFAULT, MEDIUM, RSA; " +
    "or HIGH and the other strong classes for anonymous suites), where it is written.",
  severity: "high",
  params: {},
  dialects: ["nginx"],
  check(file) {
    const findings: Detection[] = [];
    for (const { before, after, name, own, path } of directiveEdits(file, DIRECTIVES)) {
      if (!own) continue;
      const was = ciphers(before, name);
      const now = ciphers(after, name);
      const added = now.included.filter(
        (word) => WEAK.test(word) && !was.included.includes(word) && !now.excluded.has(word),
      );
      const wide = now.included.some((word) => WIDE_CLASS.test(word));
      const strong = now.included.some((word) => STRONG_CLASS.test(word));
      const dropped = [...was.excluded].filter(
        (word) =>
          WEAK.test(word) && !now.excluded.has(word) && (wide || (strong && ANONYMOUS.test(word))),
      );
      if (added.length === 0 && dropped.length === 0) continue;
      const parts = [
        ...(added.length ? [`adds ${added.join(", ")}`] : []),
        ...(dropped.length
          ? [`no longer excludes ${dropped.map((word) => `!${word}`).join(", ")}`]
          : []),
      ];
      findings.push({
        severity: "high",
        line: own.line,
        path,
        message: `${name} in ${after.label} ${parts.join(" and ")}: weak or unauthenticated cipher suites can be negotiated.${safe(`keep \`${name} ${String(inheritedDirective(before, name)?.value ?? DEFAULT_CIPHERS)};\``)}`,
        before: String(inheritedDirective(before, name)?.value ?? DEFAULT_CIPHERS),
        after: own.value,
        checklist: [
          "Check the new cipher list with `openssl ciphers -v '<list>'` and remove the weak suites.",
        ],
      });
    }
    return findings;
  },
});
