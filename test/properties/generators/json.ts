// JSON configs (Envoy/CloudFormation-like objects) in two styles: minified or pretty (2, 4 spaces, tabs),
// keys and named list items shuffled, strings with or without \u escapes, LF or CRLF.
import fc from "fast-check";
import { randomFrom, shuffle, trickyString, type ConfigGenerator, type Random } from "./common.js";
import {
  dataLeaves,
  dataTree,
  isNamedList,
  mapArbitrary,
  type Data,
  type DataMap,
} from "./data.js";

export interface JsonStyle {
  /** "" = minified. */
  readonly indent: "" | "  " | "    " | "\t";
  readonly spaceAfterColon: boolean;
  /** Writes every character outside [A-Za-z0-9 ] of strings and keys as \uXXXX. */
  readonly escapeAll: boolean;
  readonly crlf: boolean;
  readonly seed: number;
}

const style: fc.Arbitrary<JsonStyle> = fc.record({
  indent: fc.constantFrom("" as const, "  " as const, "    " as const, "\t" as const),
  spaceAfterColon: fc.boolean(),
  escapeAll: fc.boolean(),
  crlf: fc.boolean(),
  seed: fc.integer(),
});

function string(text: string, escapeAll: boolean): string {
  if (!escapeAll) return JSON.stringify(text);
  return `"${[...text]
    .map((ch) =>
      /[A-Za-z0-9 ]/.test(ch) ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
    )
    .join("")}"`;
}

function render(node: Data, depth: number, s: JsonStyle, random: Random): string {
  if (node.kind === "scalar")
    return typeof node.value === "string" ? string(node.value, s.escapeAll) : String(node.value);
  const eol = s.crlf ? "\r\n" : "\n";
  const inner = s.indent === "" ? "" : eol + s.indent.repeat(depth + 1);
  const outer = s.indent === "" ? "" : eol + s.indent.repeat(depth);
  const colon = s.spaceAfterColon ? ": " : ":";
  const parts =
    node.kind === "map"
      ? shuffle(node.entries, random).map(
          ([k, v]) => `${string(k, s.escapeAll)}${colon}${render(v, depth + 1, s, random)}`,
        )
      : (isNamedList(node) ? shuffle(node.items, random) : node.items).map((item) =>
          render(item, depth + 1, s, random),
        );
  const [open, close] = node.kind === "map" ? ["{", "}"] : ["[", "]"];
  if (parts.length === 0) return open + close;
  return `${open}${inner}${parts.join(`,${inner}`)}${outer}${close}`;
}

export const jsonGenerator: ConfigGenerator<DataMap, JsonStyle> = {
  format: "json",
  config: mapArbitrary({ strings: trickyString, depth: 3, minKeys: 2, maxKeys: 6 }),
  style,
  serialize: (config, s) =>
    render(config, 0, s, randomFrom(s.seed)) + (s.indent === "" ? "" : s.crlf ? "\r\n" : "\n"),
  leaves: (config) => dataLeaves(config, []),
  expected: dataTree,
  noise: '{}[]:,"\\ \n0tfn-',
};
