import picomatch from "picomatch";
import type { PathSegment } from "../diff/path.js";
import { formatPath, item, key } from "../diff/path.js";
import type { Plain } from "../formats/tree.js";
import type { Severity } from "./severity.js";
import { toNumber } from "./model/figures.js";
import { showValueForMessage } from "./message.js";
import { policyRegex, type PolicyRegex } from "./policy-regex.js";
import { defineRule, type AnyRule, type Detection, type Params } from "./types.js";

export type CustomCondition =
  "added" | "removed" | "changed" | "increased" | "decreased" | "above" | "below" | "matches";

/** A custom rule as the policy declares it (already validated: RE2 can run its regex). */
export interface CustomRuleDefinition {
  readonly id: string;
  readonly files: string | readonly string[];
  readonly path: string;
  readonly when: CustomCondition;
  readonly value?: number | string | undefined;
  readonly severity: Severity;
  readonly message: string;
  readonly checklist: readonly string[];
}

/** A leaf-level view of a change: added or removed subtrees are opened up to their values. */
interface LeafChange {
  readonly kind: "added" | "removed" | "modified";
  readonly segments: readonly PathSegment[];
  readonly before?: Plain;
  readonly after?: Plain;
  readonly line: number;
}

/** Turns a policy's custom rule into a catalog rule. */
export function compileCustomRule(definition: CustomRuleDefinition): AnyRule {
  const files = picomatch([definition.files].flat(), { dot: true });
  const pattern = parsePathPattern(definition.path);
  // On RE2, in time linear in the input: a policy's regex can never stall the process.
  const regex = definition.when === "matches" ? policyRegex(String(definition.value)) : undefined;
  return defineRule<Params>({
    id: definition.id,
    family: "generic",
    title: `Custom: ${definition.message}`,
    description: `Custom rule from the policy: ${definition.when} at \`${definition.path}\` in ${[definition.files].flat().join(", ")}.`,
    severity: definition.severity,
    params: {},
    dialects: "any",
    check(file) {
      if (!files(file.path)) return [];
      const detections: Detection[] = [];
      for (const change of file.changes) {
        for (const leaf of leaves(
          change.kind,
          change.segments,
          change.before,
          change.after,
          change.afterLine ?? change.beforeLine ?? 1,
        )) {
          if (!matchPath(pattern, leaf.segments) || !fires(definition, leaf, regex)) continue;
          const path = formatPath(leaf.segments);
          detections.push({
            severity: definition.severity,
            line: leaf.line,
            path,
            message: definition.message
              .replaceAll("{path}", path)
              .replaceAll("{before}", showValueForMessage(leaf.before))
              .replaceAll("{after}", showValueForMessage(leaf.after)),
            ...(leaf.before !== undefined ? { before: leaf.before } : {}),
            ...(leaf.after !== undefined ? { after: leaf.after } : {}),
            checklist: definition.checklist,
          });
        }
      }
      return detections;
    },
  });
}

function fires(
  rule: CustomRuleDefinition,
  leaf: LeafChange,
  regex: PolicyRegex | undefined,
): boolean {
  const before = toNumber(leaf.before);
  const after = toNumber(leaf.after);
  switch (rule.when) {
    case "added":
      return leaf.kind === "added";
    case "removed":
      return leaf.kind === "removed";
    case "changed":
      return true;
    case "increased":
      return (
        leaf.kind === "modified" && before !== undefined && after !== undefined && after > before
      );
    case "decreased":
      return (
        leaf.kind === "modified" && before !== undefined && after !== undefined && after < before
      );
    case "above":
      return leaf.kind !== "removed" && after !== undefined && after > Number(rule.value);
    case "below":
      return leaf.kind !== "removed" && after !== undefined && after < Number(rule.value);
    case "matches":
      return leaf.kind !== "removed" && leaf.after !== undefined && regex!.test(String(leaf.after));
  }
}

/** Opens added/removed maps and lists into their leaves, so `spec.**.timeoutSeconds` finds values inside them. */
function leaves(
  kind: LeafChange["kind"],
  segments: readonly PathSegment[],
  before: Plain | undefined,
  after: Plain | undefined,
  line: number,
): LeafChange[] {
  const value = kind === "added" ? after : kind === "removed" ? before : undefined;
  if (kind === "modified" || value === null || typeof value !== "object") {
    return [
      {
        kind,
        segments,
        ...(before !== undefined ? { before } : {}),
        ...(after !== undefined ? { after } : {}),
        line,
      },
    ];
  }
  const out: LeafChange[] = [
    {
      kind,
      segments,
      ...(before !== undefined ? { before } : {}),
      ...(after !== undefined ? { after } : {}),
      line,
    },
  ];
  const entries: [PathSegment, Plain][] = Array.isArray(value)
    ? value.map((child, index) => [item(String(index)), child])
    : Object.entries(value).map(([name, child]) => [key(name), child]);
  for (const [segment, child] of entries) {
    out.push(
      ...leaves(
        kind,
        [...segments, segment],
        kind === "removed" ? child : undefined,
        kind === "added" ? child : undefined,
        line,
      ),
    );
  }
  return out;
}

type PatternSegment =
  | { kind: "key"; key: string }
  | { kind: "item"; label: string }
  | { kind: "any" }
  | { kind: "deep" };

/** `spec.**.timeoutSeconds`, `metadata.annotations["a.b/c"]`, `containers[name=web].image`, `*` = one segment. */
function parsePathPattern(pattern: string): PatternSegment[] {
  const out: PatternSegment[] = [];
  const token = /\s*(?:\["((?:[^"\\]|\\.)*)"\]|\[([^\]]*)\]|\.?(\*\*|\*|[^.[\]]+))/gy;
  let match: RegExpExecArray | null;
  while (token.lastIndex < pattern.length && (match = token.exec(pattern)) !== null) {
    if (match[1] !== undefined)
      out.push({ kind: "key", key: JSON.parse(`"${match[1]}"`) as string });
    else if (match[2] !== undefined)
      out.push(match[2] === "*" ? { kind: "any" } : { kind: "item", label: match[2] });
    else if (match[3] === "**") out.push({ kind: "deep" });
    else if (match[3] === "*") out.push({ kind: "any" });
    else out.push({ kind: "key", key: match[3]! });
  }
  return out;
}

function matchPath(
  pattern: readonly PatternSegment[],
  segments: readonly PathSegment[],
): boolean {
  const memo = new Map<string, boolean>();
  const go = (p: number, s: number): boolean => {
    const memoKey = `${p}:${s}`;
    const cached = memo.get(memoKey);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (p === pattern.length) result = s === segments.length;
    else {
      const head = pattern[p]!;
      if (head.kind === "deep") result = go(p + 1, s) || (s < segments.length && go(p, s + 1));
      else if (s === segments.length) result = false;
      else {
        const segment = segments[s]!;
        const same =
          head.kind === "any" ||
          (head.kind === "key" && segment.kind === "key" && segment.key === head.key) ||
          (head.kind === "item" && segment.kind === "item" && segment.label === head.label);
        result = same && go(p + 1, s + 1);
      }
    }
    memo.set(memoKey, result);
    return result;
  };
  return go(0, 0);
}
