// Shared pieces of the reformatting property tests: the generator contract, realistic value domains and a
// seeded shuffle, so that every style decision a serializer takes is reproducible from its style record.
import fc from "fast-check";
import type { TreeNode } from "../../../src/formats/tree.js";
import type { Format } from "../../../src/formats/types.js";

export type Value = string | number | boolean;

/**
 * One scalar of a generated config that property (d) changes. `path` is the change path the diff must report,
 * one string per segment: a map key as written, a list item as `[label]` (`[name=web]`, `[Deployment/api]`).
 */
export interface Leaf {
  readonly path: readonly string[];
  /** Changes the scalar in place to another realistic value of the same kind. */
  change(): void;
}

/** A format's config arbitrary, its style arbitrary and a serializer from (config, style) to text. */
export interface ConfigGenerator<Config, Style> {
  readonly format: Exclude<Format, "text">;
  readonly config: fc.Arbitrary<Config>;
  readonly style: fc.Arbitrary<Style>;
  serialize(config: Config, style: Style): string;
  /** Every scalar property (d) may change, in a fixed order; `change` acts on `config` itself. */
  leaves(config: Config): Leaf[];
  /** The tree the parser should give, built from the config by the documented shape (lines are ignored). */
  expected?(config: Config): TreeNode;
  /** Characters worth inserting when mutating a serialized config (the format's punctuation). */
  readonly noise: string;
}

/** Another realistic value of the same kind: the last number bumped (`5s` → `6s`), a flag flipped. */
export function changed(value: Value): Value {
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return value + 1;
  const match = /^(.*?)(\d+)(\D*)$/.exec(value);
  return match ? `${match[1]}${Number(match[2]) + 1}${match[3]}` : `${value}2`;
}

// --- seeded randomness for style decisions ---

/** mulberry32: a tiny seeded PRNG, so a style record fully determines the text. */
export function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

export const chance = (random: Random, probability: number): boolean => random() < probability;

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Shuffles, but items of one group keep their relative order (repeated directives, ordered rules). */
export function shuffleKeepingGroups<T>(
  items: readonly T[],
  random: Random,
  group: (item: T) => string,
): T[] {
  const queues = new Map<string, T[]>();
  for (const item of items) queues.set(group(item), [...(queues.get(group(item)) ?? []), item]);
  return shuffle(items, random).map((item) => queues.get(group(item))!.shift()!);
}

/** Lines joined with the chosen line end, with a final line end. */
export function joinLines(lines: readonly string[], crlf: boolean): string {
  const eol = crlf ? "\r\n" : "\n";
  return lines.length === 0 ? "" : lines.join(eol) + eol;
}

export const INDENTS = ["  ", "    ", "\t"] as const;

// --- value domains ---

const WORDS = [
  "web",
  "api",
  "app",
  "auth",
  "cache",
  "static",
  "admin",
  "health",
  "metrics",
  "blue",
  "green",
  "canary",
  "primary",
  "backup",
  "internal",
  "public",
] as const;

export const word = fc.constantFrom(...WORDS);

/** Names of things (servers, upstreams, list items): `web`, `api-2`. */
export const name = fc
  .tuple(word, fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }))
  .map(([base, n]) => (n === undefined ? base : `${base}-${n}`));

export const duration = fc
  .tuple(fc.integer({ min: 1, max: 600 }), fc.constantFrom("ms", "s", "m", "h"))
  .map(([n, unit]) => `${n}${unit}`);

export const integer = fc.oneof(
  fc.integer({ min: 0, max: 100 }),
  fc.integer({ min: 100, max: 100_000 }),
);

export const phrase = fc
  .array(word, { minLength: 2, maxLength: 4 })
  .map((words) => words.join(" "));

export const urlPath = fc
  .array(fc.oneof(word, fc.constantFrom("v1", "v2", "healthz", "status")), { maxLength: 3 })
  .map((parts) => `/${parts.join("/")}`);

export const hostname = fc
  .tuple(word, fc.constantFrom("example.com", "internal", "svc.cluster.local"))
  .map(([host, domain]) => `${host}.${domain}`);

export const ipPort = fc
  .tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 254 }), port())
  .map(([a, b, p]) => `10.0.${a}.${b}:${p}`);

export function port(): fc.Arbitrary<number> {
  return fc.constantFrom(80, 443, 8080, 8443, 9000, 3000);
}

/** Strings safe in every format that quotes: realistic, no quotes or backslashes. */
export const plainString = fc.oneof(word, duration, phrase, urlPath, hostname);

/** Strings with the characters quoting has to get right; for the formats with real string syntax. */
export const trickyString = fc.oneof(
  plainString,
  fc
    .array(
      fc.constantFrom(
        ...`abc xyz 123 "quoted" 'single' # hash: colon, comma [x] {y} back\\slash -dash`.split(
          " ",
        ),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((parts) => parts.join(" ")),
);

/** Keys that read like config keys: a vocabulary plus random identifiers. */
const KEYS = [
  "enabled",
  "interval",
  "timeout",
  "retries",
  "threshold",
  "protocol",
  "replicas",
  "weight",
  "labels",
  "annotations",
  "image",
  "listen",
  "backends",
  "healthCheck",
  "loadBalancer",
  "sticky",
  "cookie",
  "maxConnections",
  "description",
  "region",
] as const;

/** Identity keys and type-like keys the diff gives meaning to in lists; generators add them on purpose only. */
export const RESERVED_KEYS = new Set(["name", "kind", "metadata", "apiVersion"]);

const LITERAL_WORDS = /^(true|false|null|yes|no|on|off|y|n|inf|nan)$/i;

export const key = fc
  .oneof(
    { weight: 3, arbitrary: fc.constantFrom(...KEYS) },
    { weight: 2, arbitrary: fc.stringMatching(/^[a-z]{2,8}(_[a-z]{2,5}|[0-9])?$/) },
  )
  .filter((text) => !RESERVED_KEYS.has(text) && !LITERAL_WORDS.test(text));
