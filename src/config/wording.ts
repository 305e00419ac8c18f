// zod's issues in the words of every other policy problem: "expected a whole number from 0 to 20,
// got "two"", "unknown key (did you mean "files"?)". zod's own messages never reach the user.
import type { z } from "zod";
import { listing } from "../shared/listing.js";
import { didYouMean } from "./did-you-mean.js";
import { expectations } from "./schema.js";

/** A zod schema seen through its definition (zod v4's `_zod.def`), enough to walk and describe it. */
interface Def {
  readonly type: string;
  readonly innerType?: z.core.$ZodType;
  readonly shape?: Record<string, z.core.$ZodType>;
  readonly keyType?: z.core.$ZodType;
  readonly valueType?: z.core.$ZodType;
  readonly element?: z.core.$ZodType;
  readonly options?: readonly z.core.$ZodType[];
  readonly entries?: Record<string, string | number>;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
}

interface CheckDef {
  readonly check: string;
  readonly format?: string;
  readonly value?: number | bigint;
  readonly minimum?: number;
}

const defOf = (schema: z.core.$ZodType): Def => schema._zod.def as unknown as Def;

const WRAPPERS = new Set(["optional", "default", "prefault", "nullable", "readonly", "catch"]);

/** The schema without optional/default wrappers (what the value itself must be). */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  while (WRAPPERS.has(defOf(current).type) && defOf(current).innerType)
    current = defOf(current).innerType!;
  return current;
}

/** The schema a value at `path` must match, or undefined past what the schema knows. */
function schemaAt(
  root: z.core.$ZodType,
  path: readonly PropertyKey[],
): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = root;
  for (const segment of path) {
    if (!current) return undefined;
    current = step(unwrap(current), segment);
  }
  return current;
}

function step(schema: z.core.$ZodType, segment: PropertyKey): z.core.$ZodType | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return def.shape?.[String(segment)];
    case "record":
      return def.valueType;
    case "array":
      return typeof segment === "number" ? def.element : undefined;
    case "union":
      for (const option of def.options ?? []) {
        const found = step(unwrap(option), segment);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The keys an object schema allows (for "did you mean"). */
function keysAt(root: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(root, path);
  if (!schema) return [];
  const def = defOf(unwrap(schema));
  return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

function registered(schema: z.core.$ZodType): { expected: string; plural?: string } | undefined {
  let current: z.core.$ZodType | undefined = schema;
  while (current) {
    const found = expectations.get(current);
    if (found) return found;
    current = WRAPPERS.has(defOf(current).type) ? defOf(current).innerType : undefined;
  }
  return undefined;
}

const checksOf = (schema: z.core.$ZodType): CheckDef[] =>
  (defOf(schema).checks ?? []).map((check) => check._zod.def);

/** What a value of this schema is, as a noun phrase: "a whole number from 0 to 20". */
function describeSchema(schema: z.core.$ZodType): string {
  const known = registered(schema);
  if (known) return known.expected;
  const inner = unwrap(schema);
  const def = defOf(inner);
  const checks = checksOf(inner);
  switch (def.type) {
    case "string":
      return nonEmpty(checks) ? "a non-empty string" : "a string";
    case "number": {
      const whole = checks.some((check) => check.check === "number_format");
      return `${whole ? "a whole number" : "a number"}${range(checks)}`;
    }
    case "boolean":
      return "true or false";
    case "enum":
      return `one of ${Object.values(def.entries ?? {})
        .map((value) => JSON.stringify(value))
        .join(", ")}`;
    case "array": {
      const element = def.element ? plural(def.element) : "values";
      return `${nonEmpty(checks) ? "a non-empty list" : "a list"} of ${element}`;
    }
    case "object":
      return `a mapping with the keys ${Object.keys(def.shape ?? {}).join(", ")}`;
    case "record":
      return "a mapping";
    case "union":
      return listing((def.options ?? []).map(describeSchema), "or");
    default:
      return "a value of another kind";
  }
}

function plural(schema: z.core.$ZodType): string {
  const known = registered(schema);
  if (known?.plural) return known.plural;
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case "string":
      return nonEmpty(checksOf(unwrap(schema))) ? "non-empty strings" : "strings";
    case "number":
      return "numbers";
    case "object":
      return "mappings";
    case "enum":
      return `values among ${describeSchema(schema).replace(/^one of /, "")}`;
    default:
      return "values";
  }
}

const nonEmpty = (checks: readonly CheckDef[]): boolean =>
  checks.some((check) => check.check === "min_length" && (check.minimum ?? 0) >= 1);

function range(checks: readonly CheckDef[]): string {
  const min = checks.find((check) => check.check === "greater_than")?.value;
  const max = checks.find((check) => check.check === "less_than")?.value;
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return "";
}

/** ` (the keys here are a, b, c)` when there are few enough to list. */
const knownKeys = (keys: readonly string[]): string =>
  keys.length > 0 && keys.length <= 12 ? ` (the keys here are ${keys.join(", ")})` : "";

/** A value as a message shows it: `"two"`, `3`, `true`, `nothing`, `a list`, `a mapping`. */
function describeValue(value: unknown): string {
  if (value === null) return "nothing";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a mapping";
  return "a value of another kind";
}

/** "expected X, got Y", or "missing, expected X" for a key that is not there. */
export function expectedGot(expected: string, value: unknown): string {
  return value === undefined
    ? `missing, expected ${expected}`
    : `expected ${expected}, got ${describeValue(value)}`;
}

/** The value at a path of the raw data (undefined where there is none). */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** One worded schema problem: where (the key path) and what. */
export interface WordedIssue {
  readonly path: readonly (string | number)[];
  readonly code: "policy.unknown-key" | "policy.invalid-value";
  readonly message: string;
}

/**
 * A zod issue in the project's words, with the key path it is about. An unknown key becomes one
 * problem per key, at the key; a union that fails on a value of one option's type reports that
 * option's own problems (a list with one bad glob names the glob, not "a glob or a list").
 * `unknownKeyHint` may place a key no near key explains (a rule parameter outside `params`), or say "".
 */
export function wordIssue(
  root: z.core.$ZodType,
  data: unknown,
  issue: z.core.$ZodIssue,
  unknownKeyHint: (path: readonly (string | number)[], key: string) => string,
  base: readonly (string | number)[] = [],
): WordedIssue[] {
  const path = [
    ...base,
    ...issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment))),
  ];
  const value = valueAt(data, path);
  const schema = schemaAt(root, path);
  const expected = (fallback: string): string => (schema ? describeSchema(schema) : fallback);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        path: [...path, key],
        code: "policy.unknown-key",
        message: `unknown key${didYouMean(key, keysAt(root, path)) || unknownKeyHint(path, key) || knownKeys(keysAt(root, path))}`,
      }));
    case "invalid_union": {
      const fitting = issue.errors.filter(
        (issues) =>
          !issues.some((inner) => inner.path.length === 0 && inner.code === "invalid_type"),
      );
      if (fitting.length === 1)
        return fitting[0]!.flatMap((inner) => wordIssue(root, data, inner, unknownKeyHint, path));
      return [invalid(path, expectedGot(expected("another kind of value"), value))];
    }
    case "invalid_value": {
      const hint =
        typeof value === "string"
          ? didYouMean(
              value,
              issue.values.filter((known): known is string => typeof known === "string"),
            )
          : "";
      return [invalid(path, `${expectedGot(expected("another value"), value)}${hint}`)];
    }
    case "invalid_key": {
      const record = schemaAt(root, path.slice(0, -1));
      const keyType = record ? defOf(unwrap(record)).keyType : undefined;
      const key = describeValue(path.at(-1));
      return [
        invalid(
          path,
          `expected ${keyType ? describeSchema(keyType) : "another key"} as the key, got ${key}`,
        ),
      ];
    }
    case "custom": {
      const stated = (issue.params as { expected?: unknown } | undefined)?.expected;
      return [
        invalid(path, typeof stated === "string" ? expectedGot(stated, value) : issue.message),
      ];
    }
    case "invalid_type":
    case "too_big":
    case "too_small":
    case "invalid_format":
    case "not_multiple_of":
    case "invalid_element":
      return [invalid(path, expectedGot(expected("another kind of value"), value))];
    default:
      return [invalid(path, expectedGot("another kind of value", value))];
  }
}

const invalid = (path: readonly (string | number)[], message: string): WordedIssue => ({
  path,
  code: "policy.invalid-value",
  message,
});
