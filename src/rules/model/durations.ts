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
