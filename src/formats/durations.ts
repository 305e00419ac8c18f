import type { Dialect } from "./dialect.js";

/**
 * Durations as each system writes them (docs/lb-facts.md §P0, "How durations are written"):
 * HAProxy bare numbers are milliseconds, nginx and Traefik bare numbers are seconds, Envoy uses
 * protobuf Duration strings ("5s", "0.5s"), Kubernetes integer seconds. All return seconds.
 */
const UNIT_SECONDS: Record<string, number> = {
  us: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  M: 2592000, // nginx: 30 days
  y: 31536000, // nginx: 365 days
};

/** HAProxy time format: `2000` (ms), `2s`, `500ms`, `1m`; HAProxy doc §2.5. */
export function haproxySeconds(value: unknown): number | undefined {
  return parseUnits(value, 1e-3, /^(\d+(?:\.\d+)?)(us|ms|s|m|h|d)?$/);
}

/** nginx time: `10`, `10s`, `1h 30m`, `500ms`; nginx "Configuration file measurement units". */
export function nginxSeconds(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  const parts = value.trim().split(/\s+/);
  let total = 0;
  for (const part of parts) {
    const seconds = parseUnits(part, 1, /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|M|y)?$/);
    if (seconds === undefined) return undefined;
    total += seconds;
  }
  return total;
}

/** Go durations (Traefik): `10s`, `1m30s`, `500ms`; a bare number is seconds in Traefik. */
export function goSeconds(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const unit = match[2] === "ns" ? 1e-9 : match[2] === "µs" ? 1e-6 : UNIT_SECONDS[match[2]!]!;
    total += Number(match[1]) * unit;
    consumed = pattern.lastIndex;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

/** protobuf Duration in JSON/YAML: `"5s"`, `"0.5s"`, or `{ seconds, nanos }` (google/protobuf duration.proto). */
export function protoSeconds(value: unknown): number | undefined {
  if (typeof value === "string") {
    const match = /^(-?\d+(?:\.\d+)?)s$/.exec(value.trim());
    return match ? Number(match[1]) : undefined;
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const { seconds, nanos } = value as { seconds?: unknown; nanos?: unknown };
    const whole =
      typeof seconds === "number" ? seconds : typeof seconds === "string" ? Number(seconds) : 0;
    const fraction = typeof nanos === "number" ? nanos / 1e9 : 0;
    return Number.isFinite(whole) ? whole + fraction : undefined;
  }
  return undefined;
}

function parseUnits(value: unknown, bareUnit: number, pattern: RegExp): number | undefined {
  if (typeof value === "number") return value * bareUnit;
  if (typeof value !== "string") return undefined;
  const match = pattern.exec(value.trim());
  if (!match) return undefined;
  const unit = match[2] ? UNIT_SECONDS[match[2]]! : bareUnit;
  return Number(match[1]) * unit;
}

/**
 * How a dialect writes a duration with its unit: a value matching it is a duration for sure, so
 * two of them that last as long are the same value (`60s` = `1m`, docs/risk.md "Not high"). Bare
 * numbers are left alone: without a unit a value may be a count or a size (`1m` is also a megabyte
 * in nginx, but `60s` never is one).
 */
const UNIT_DURATION: Partial<Record<Dialect, (token: string) => number | undefined>> = {
  nginx: (token) =>
    /^\d+(?:\.\d+)?(?:ms|s|m|h|d|w|M|y)$/.test(token) ? nginxSeconds(token) : undefined,
  haproxy: (token) =>
    /^\d+(?:\.\d+)?(?:us|ms|s|m|h|d)$/.test(token) ? haproxySeconds(token) : undefined,
  envoy: (token) => (/^\d+(?:\.\d+)?s$/.test(token) ? protoSeconds(token) : undefined),
  traefik: goUnitSeconds,
  compose: goUnitSeconds,
  kubernetes: goUnitSeconds,
  "helm-values": goUnitSeconds,
  terraform: goUnitSeconds,
};

/** Dialects whose values are lists of tokens (`keepalive_timeout 75s 60s`, `interval=2s fails=1`). */
const TOKEN_LISTS: ReadonlySet<Dialect> = new Set(["nginx", "haproxy"]);

function goUnitSeconds(token: string): number | undefined {
  return /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(token) ? goSeconds(token) : undefined;
}

/**
 * Units that are sizes too: nginx `m` and `M` are megabytes in `client_max_body_size`
 * (nginx "Configuration file measurement units"), `m` is a HAProxy size suffix (`stick-table size
 * 1m`) and a Kubernetes milli-quantity (`cpu: 500m`). As durations `1M` = `43200m`, as sizes 43200×.
 */
function ambiguous(token: string): boolean {
  return /^\d+(?:\.\d+)?[mM]$/.test(token);
}

/** nginx directives and parameters that take a time (`proxy_read_timeout`, `expires`, `inactive=`, `proxy_cache_valid`). */
const NGINX_TIME_NAME =
  /(?:timeout|time|expires|valid|inactive|interval|jitter|age|delay|sleep|threshold|slow_start)$/i;

/** HAProxy sections, keywords and parameters that take a time (`timeout server`, `inter`, `expire`, `inspect-delay`). */
const HAPROXY_TIME_NAME =
  /(?:timeout|^(?:agent-|fast|down)?inter|expire|^hold|delay|slowstart|refresh|interval|period|ttl|^valid|obsolete|time)$/i;

/** Keys whose value is a size or a quantity, not a time. */
const SIZE_NAME = /(?:size|cpu|memory|storage|bytes|buffers?)$/i;

/**
 * A string value with each duration written with a unit in the dialect's syntax replaced by its
 * seconds (`1m` → `60s`, `interval=2000ms` → `interval=2s`), so that values written differently
 * compare equal; any other value is returned as it is. `keys` are the keys of the value's path:
 * in nginx and HAProxy a token is a duration only where a time is meant (a time directive, section
 * or keyword: `return 200 60s` is a body, `-m str 60s` a literal); elsewhere a unit that is a size
 * too is not one under a size key.
 */
export function canonicalDurations<V>(
  dialect: Dialect,
  value: V,
  keys: readonly string[] = [],
): V | string {
  return typeof value === "string" ? (canonicalText(dialect, value, keys) ?? value) : value;
}

/** Two scalars at a path with `keys` that are the same duration written differently in the dialect (`60s` and `1m`). */
export function sameDuration(
  dialect: Dialect,
  before: unknown,
  after: unknown,
  keys: readonly string[] = [],
): boolean {
  if (typeof before !== "string" || typeof after !== "string") return false;
  const canonical = canonicalText(dialect, before, keys);
  return canonical !== undefined && canonical === canonicalText(dialect, after, keys);
}

/** Whether a token, named `word` (its `name=`, or the word before it), may be a duration at `keys`. */
function timeMeant(
  dialect: Dialect,
  keys: readonly string[],
  word: string | undefined,
  token: string,
): boolean {
  const last = keys[keys.length - 1];
  if (dialect === "nginx") return NGINX_TIME_NAME.test(word ?? last ?? "");
  if (dialect === "haproxy")
    return [word ?? "", ...keys].some((name) => HAPROXY_TIME_NAME.test(name));
  return !(ambiguous(token) && SIZE_NAME.test(last ?? ""));
}

/** The canonical text of a value holding at least one duration with a unit, else undefined. */
function canonicalText(
  dialect: Dialect,
  value: string,
  keys: readonly string[],
): string | undefined {
  const parse = UNIT_DURATION[dialect];
  if (!parse) return undefined;
  const tokens = TOKEN_LISTS.has(dialect) ? value.split(/(\s+)/) : [value];
  let found = false;
  let previous: string | undefined;
  const canonical = tokens.map((token) => {
    if (token === "" || /^\s+$/.test(token)) return token;
    const match = /^([A-Za-z_][\w-]*=)?(.+)$/.exec(token);
    // In HAProxy a keyword names what follows it (`inter 2s`, `size 1m`); a `name=` names itself.
    const word = match?.[1] ? match[1].slice(0, -1) : dialect === "haproxy" ? previous : undefined;
    previous = token;
    if (!match || (match[1] && !TOKEN_LISTS.has(dialect))) return token;
    if (!timeMeant(dialect, keys, word, match[2]!)) return token;
    const seconds = parse(match[2]!);
    if (seconds === undefined) return token;
    found = true;
    return `${match[1] ?? ""}${Math.round(seconds * 1e9) / 1e9}s`;
  });
  return found ? canonical.join("") : undefined;
}
