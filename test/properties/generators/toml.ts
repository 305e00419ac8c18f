// TOML configs (Traefik's file provider shape: nested tables, arrays of tables named by `name`). Styles: each
// table as a `[header]`, dotted keys or an inline table; arrays of tables as `[[header]]` or inline; basic or
// literal or multi-line strings, arrays on one line or several, `1_000` or `1000`, quoted or bare keys, indentation, comments, shuffled keys and items, CRLF.
import fc from "fast-check";
import {
  chance,
  pick,
  randomFrom,
  shuffle,
  trickyString,
  type ConfigGenerator,
  type Random,
} from "./common.js";
import {
  dataLeaves,
  dataTree,
  isNamedList,
  mapArbitrary,
  type Data,
  type DataMap,
} from "./data.js";

export interface TomlStyle {
  readonly tables: "headers" | "dotted" | "inline" | "mixed";
  readonly strings: "basic" | "literal" | "multiline" | "mixed";
  /** Arrays of scalars one item per line, with a trailing comma and comments inside. */
  readonly multilineArrays: boolean;
  readonly underscores: boolean;
  readonly quoteKeys: boolean;
  readonly indent: "" | "  " | "    ";
  readonly spaceAroundEquals: boolean;
  readonly spacesInHeaders: boolean;
  readonly comments: boolean;
  readonly crlf: boolean;
  readonly seed: number;
}

type TableMode = "header" | "dotted" | "inline";

class TomlWriter {
  readonly lines: string[] = [];
  private readonly random: Random;

  constructor(private readonly s: TomlStyle) {
    this.random = randomFrom(s.seed);
  }

  key(text: string): string {
    if (!this.s.quoteKeys || !chance(this.random, 0.4)) return text;
    return chance(this.random, 0.5) ? JSON.stringify(text) : `'${text}'`;
  }

  dottedKey(path: readonly string[]): string {
    return path.map((k) => this.key(k)).join(this.s.spacesInHeaders ? " . " : ".");
  }

  integer(n: number): string {
    if (!this.s.underscores || Math.abs(n) < 1000) return String(n);
    const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, "_");
    return n < 0 ? `-${digits}` : digits;
  }

  string(text: string): string {
    const kind =
      this.s.strings === "mixed"
        ? pick(this.random, ["basic", "literal", "multiline"])
        : this.s.strings;
    const escaped = JSON.stringify(text).slice(1, -1);
    if (kind === "literal" && !text.includes("'")) return `'${text}'`;
    if (kind === "multiline")
      return !text.includes("'") && chance(this.random, 0.5) ? `'''${text}'''` : `"""${escaped}"""`;
    return `"${escaped}"`;
  }

  /** A value on one line: scalars, arrays, inline tables. */
  value(node: Data): string {
    if (node.kind === "scalar") {
      const v = node.value;
      return typeof v === "string"
        ? this.string(v)
        : typeof v === "number"
          ? this.integer(v)
          : String(v);
    }
    if (node.kind === "map") {
      const parts = shuffle(node.entries, this.random).map(
        ([k, v]) => `${this.key(k)} = ${this.value(v)}`,
      );
      return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
    }
    const items = isNamedList(node) ? shuffle(node.items, this.random) : node.items;
    const rendered = items.map((item) => this.value(item));
    if (this.s.multilineArrays && rendered.length > 0 && !isNamedList(node)) {
      const inner = this.s.indent || "  ";
      const note = this.s.comments ? " # item" : "";
      return `[\n${rendered.map((item) => `${inner}${item},${note}`).join("\n")}\n]`;
    }
    return `[${rendered.join(", ")}]`;
  }

  mode(headerAllowed: boolean): TableMode {
    const modes: TableMode[] = headerAllowed
      ? ["header", "dotted", "inline"]
      : ["dotted", "inline"];
    const wanted: TableMode =
      this.s.tables === "mixed"
        ? pick(this.random, modes)
        : this.s.tables === "headers"
          ? "header"
          : this.s.tables;
    return modes.includes(wanted) ? wanted : "dotted";
  }

  comment(indent: string): void {
    if (this.s.comments && chance(this.random, 0.25))
      this.lines.push(
        `${indent}# ${pick(this.random, ["tuned = 5", "[old.table]", "see 'docs'"])}`,
      );
  }

  trailing(): string {
    return this.s.comments && chance(this.random, 0.2) ? ' # was "3s"' : "";
  }

  /** A table's key/value lines (dotted keys included), then its sub-tables. */
  table(header: readonly string[], map: DataMap, level: number): void {
    const pairs: string[] = [];
    const subtables: (() => void)[] = [];
    this.collect(header, [], map, level, pairs, subtables);
    const indent = this.s.indent.repeat(level);
    const eq = this.s.spaceAroundEquals ? " = " : "=";
    for (const [k, v] of shuffle(
      pairs.map((line) => line.split("\u0000") as [string, string]),
      this.random,
    )) {
      this.comment(indent);
      this.lines.push(`${indent}${k}${eq}${v}${this.trailing()}`);
    }
    for (const subtable of shuffle(subtables, this.random)) subtable();
  }

  header(path: readonly string[], array: boolean, level: number): void {
    const indent = this.s.indent.repeat(level);
    const pad = this.s.spacesInHeaders ? " " : "";
    const [open, close] = array ? ["[[", "]]"] : ["[", "]"];
    this.comment(indent);
    this.lines.push(
      `${indent}${open}${pad}${this.dottedKey(path)}${pad}${close}${this.trailing()}`,
    );
  }

  private collect(
    header: readonly string[],
    dotted: readonly string[],
    map: DataMap,
    level: number,
    pairs: string[],
    subtables: (() => void)[],
  ): void {
    const headerAllowed = dotted.length === 0;
    for (const [k, v] of map.entries) {
      const keyPath = [...dotted, k];
      const pair = (value: string): void => {
        pairs.push(`${this.dottedKey(keyPath)}\u0000${value}`);
      };
      if (v.kind === "scalar" || (v.kind === "list" && !isNamedList(v))) {
        pair(this.value(v));
      } else if (v.kind === "map") {
        const mode = this.mode(headerAllowed);
        if (mode === "header") {
          subtables.push(() => {
            this.header([...header, k], false, level);
            this.table([...header, k], v, level + 1);
          });
        } else if (mode === "dotted" && v.entries.length > 0) {
          this.collect(header, keyPath, v, level, pairs, subtables);
        } else {
          pair(this.value(v));
        }
      } else if (headerAllowed && this.mode(true) === "header") {
        subtables.push(() => {
          for (const item of shuffle(v.items, this.random)) {
            this.header([...header, k], true, level);
            this.table([...header, k], item as DataMap, level + 1);
          }
        });
      } else {
        pair(this.value(v));
      }
    }
  }
}

export const tomlGenerator: ConfigGenerator<DataMap, TomlStyle> = {
  format: "toml",
  config: mapArbitrary({ strings: trickyString, depth: 3, minKeys: 2, maxKeys: 6 }),
  style: fc.record({
    tables: fc.constantFrom(
      "headers" as const,
      "dotted" as const,
      "inline" as const,
      "mixed" as const,
    ),
    strings: fc.constantFrom(
      "basic" as const,
      "literal" as const,
      "multiline" as const,
      "mixed" as const,
    ),
    multilineArrays: fc.boolean(),
    underscores: fc.boolean(),
    quoteKeys: fc.boolean(),
    indent: fc.constantFrom("" as const, "  " as const, "    " as const),
    spaceAroundEquals: fc.boolean(),
    spacesInHeaders: fc.boolean(),
    comments: fc.boolean(),
    crlf: fc.boolean(),
    seed: fc.integer(),
  }),
  serialize: (config, s) => {
    const writer = new TomlWriter(s);
    writer.table([], config, 0);
    const text = writer.lines.join("\n") + "\n";
    return s.crlf ? text.replace(/\n/g, "\r\n") : text;
  },
  leaves: (config) => dataLeaves(config, []),
  expected: dataTree,
  noise: "[]{}=.,\"'#\n ",
};
