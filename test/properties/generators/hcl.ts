// Terraform configs: resources (target groups with health_check / stickiness blocks, repeated `setting` blocks
// named by `name`), variables, locals and modules. Styles: `=` aligned as terraform fmt does, one space or none;
// quoted or bare labels; one-line blocks; objects and lists on one line or several; multi-line strings as
// heredocs, indented heredocs or "\n" escapes; \uNNNN escapes; call arguments on several lines; spacing inside expressions and `${ }`, `"${var.x}"` for `var.x`; #, // and /* */ comments;
// shuffled attributes, blocks and object keys; LF or CRLF.
import fc from "fast-check";
import {
  INDENTS,
  chance,
  changed,
  integer,
  key,
  name,
  pick,
  plainString,
  randomFrom,
  shuffle,
  trickyString,
  word,
  type ConfigGenerator,
  type Leaf,
  type Random,
  type Value,
} from "./common.js";

interface Cell {
  value: Value;
}

/** An attribute's value. `expr`/`template` tokens are joined by optional spaces (GAP). */
export type HclValue =
  | { readonly kind: "scalar"; readonly cell: Cell }
  | { readonly kind: "text"; readonly lines: string[] }
  /** Items are scalars, or references written bare (`[aws_security_group.lb.id, var.extra]`). */
  | { readonly kind: "list"; readonly items: (Value | { readonly reference: string })[] }
  | { readonly kind: "object"; readonly entries: [string, Cell][] }
  | { readonly kind: "expr"; readonly tokens: string[] }
  | {
      readonly kind: "template";
      readonly before: string;
      readonly tokens: string[];
      readonly after: string;
    };

export interface HclBody {
  readonly attributes: [string, HclValue][];
  readonly blocks: HclBlock[];
}

export interface HclBlock {
  readonly type: string;
  readonly labels: string[];
  readonly body: HclBody;
}

export interface HclConfig {
  readonly blocks: HclBlock[];
}

const GAP = "\u0000";
/** Inside a call's parentheses: optional space, or a line break with multilineCalls. */
const BREAK = "\u0001";

// --- arbitraries ---

const NESTED_BLOCKS = [
  "health_check",
  "stickiness",
  "lifecycle",
  "timeouts",
  "access_logs",
] as const;
const NAMED_BLOCK = "setting";
const BLOCK_TYPES = new Set<string>([...NESTED_BLOCKS, NAMED_BLOCK]);

const ATTRIBUTES = [
  "port",
  "protocol",
  "target_type",
  "deregistration_delay",
  "slow_start",
  "interval",
  "path",
  "timeout",
  "healthy_threshold",
  "unhealthy_threshold",
  "matcher",
  "enabled",
  "cookie_duration",
  "description",
  "load_balancing_algorithm_type",
] as const;

const attributeName = fc
  .oneof({ weight: 3, arbitrary: fc.constantFrom(...ATTRIBUTES) }, { weight: 1, arbitrary: key })
  .filter((text) => !BLOCK_TYPES.has(text) && text !== "name");

const cell = fc.oneof(trickyString, integer, fc.boolean()).map((value): Cell => ({ value }));

const reference = fc.constantFrom(
  "var.vpc_id",
  "var.enabled",
  "local.name",
  "aws_lb.main.arn",
  "module.vpc.vpc_id",
  "count.index",
);

const argument = fc.oneof(
  reference.map((ref) => [ref]),
  fc.integer({ min: 0, max: 500 }).map((n) => [String(n)]),
  word.map((w) => [JSON.stringify(w)]),
);

const expression: fc.Arbitrary<string[]> = fc.oneof(
  reference.map((ref) => [ref]),
  fc
    .tuple(
      fc.constantFrom("max", "min", "coalesce", "lookup", "format", "join"),
      fc.array(argument, { minLength: 1, maxLength: 3 }),
    )
    .map(([fn, args]) => [
      `${fn}(`,
      BREAK,
      ...args.flatMap((arg, i) => (i === 0 ? arg : [GAP, ",", BREAK, ...arg])),
      BREAK,
      ")",
    ]),
  fc
    .tuple(reference, fc.constantFrom("+", "*", "==", ">", "&&"), argument)
    .map(([ref, op, arg]) => [ref, GAP, op, GAP, ...arg]),
  fc
    .tuple(reference, argument, argument)
    .map(([ref, yes, no]) => [ref, GAP, "?", GAP, ...yes, GAP, ":", GAP, ...no]),
);

const value: fc.Arbitrary<HclValue> = fc.oneof(
  { weight: 8, arbitrary: cell.map((c): HclValue => ({ kind: "scalar", cell: c })) },
  {
    weight: 1,
    arbitrary: fc
      .array(plainString, { minLength: 1, maxLength: 3 })
      .map((lines): HclValue => ({ kind: "text", lines })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.array(fc.oneof(plainString, integer), { maxLength: 4 }),
        fc.uniqueArray(
          reference.map((ref) => ({ reference: ref })),
          {
            maxLength: 3,
            selector: (item) => item.reference,
          },
        ),
      )
      .map((items): HclValue => ({ kind: "list", items })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(fc.tuple(fc.oneof(key, fc.constantFrom("Name", "Environment", "Team")), cell), {
        selector: ([k]) => k,
        maxLength: 4,
      })
      .map((entries): HclValue => ({ kind: "object", entries })),
  },
  { weight: 2, arbitrary: expression.map((tokens): HclValue => ({ kind: "expr", tokens })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(word, expression, fc.constantFrom("", "-tg", "-lb", " logs"))
      .map(([before, tokens, after]): HclValue => ({
        kind: "template",
        before: `${before}-`,
        tokens,
        after,
      })),
  },
);

const attributes = (maxLength: number): fc.Arbitrary<[string, HclValue][]> =>
  fc.uniqueArray(fc.tuple(attributeName, value), { selector: ([k]) => k, maxLength });

const leafBody: fc.Arbitrary<HclBody> = attributes(5).map((attrs) => ({
  attributes: attrs,
  blocks: [],
}));

/** `setting { name = "x" ... }` blocks, matched by their unique name. */
const namedBlocks = fc
  .uniqueArray(fc.tuple(name, attributes(3)), { selector: ([n]) => n, maxLength: 3 })
  .map((items) =>
    items.map(([blockName, attrs]): HclBlock => ({
      type: NAMED_BLOCK,
      labels: [],
      body: {
        attributes: [
          ["name", { kind: "scalar", cell: { value: blockName } }],
          ...attrs.filter(([k]) => k !== "name"),
        ],
        blocks: [],
      },
    })),
  );

const resourceBody: fc.Arbitrary<HclBody> = fc
  .tuple(
    attributes(6),
    fc.uniqueArray(fc.tuple(fc.constantFrom(...NESTED_BLOCKS), leafBody), {
      selector: ([type]) => type,
      maxLength: 3,
    }),
    namedBlocks,
  )
  .map(([attrs, blocks, named]) => ({
    attributes: attrs,
    blocks: [...blocks.map(([type, body]) => ({ type, labels: [], body })), ...named],
  }));

const RESOURCE_TYPES = ["aws_lb", "aws_lb_target_group", "aws_lb_listener", "aws_security_group"];

const config: fc.Arbitrary<HclConfig> = fc
  .record({
    resources: fc.uniqueArray(
      fc.tuple(
        fc.constantFrom(...RESOURCE_TYPES),
        fc.oneof(name, fc.constant("this")),
        resourceBody,
      ),
      { selector: ([type, n]) => `${type}.${n}`, maxLength: 4 },
    ),
    variables: fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{2,8}(_[a-z]{2,6})?$/), leafBody), {
      selector: ([n]) => n,
      maxLength: 2,
    }),
    locals: fc.option(leafBody, { nil: undefined }),
    modules: fc.uniqueArray(fc.tuple(name, leafBody), { selector: ([n]) => n, maxLength: 2 }),
  })
  .map(({ resources, variables, locals, modules }) => ({
    blocks: [
      ...resources.map(([type, n, body]) => ({ type: "resource", labels: [type, n], body })),
      ...variables.map(([n, body]) => ({ type: "variable", labels: [n], body })),
      ...(locals ? [{ type: "locals", labels: [], body: locals }] : []),
      ...modules.map(([n, body]) => ({
        type: "module",
        labels: [n],
        body: {
          attributes: [
            ["source", { kind: "scalar", cell: { value: `./modules/${n}` } }] as [string, HclValue],
            ...body.attributes.filter(([k]) => k !== "source"),
          ],
          blocks: [],
        },
      })),
    ],
  }));

// --- leaves ---

function bodyLeaves(body: HclBody, path: readonly string[], out: Leaf[]): void {
  for (const [attr, v] of body.attributes) {
    if (v.kind === "scalar") {
      out.push({
        path: [...path, attr],
        change: () => void (v.cell.value = changed(v.cell.value)),
      });
    } else if (v.kind === "text") {
      out.push({
        path: [...path, attr],
        change: () => void (v.lines[v.lines.length - 1] = String(changed(v.lines.at(-1)!))),
      });
    } else if (v.kind === "object") {
      for (const [k, c] of v.entries)
        out.push({ path: [...path, attr, k], change: () => void (c.value = changed(c.value)) });
    }
  }
  // Blocks of one type and the same labels form a list; different labels are keys.
  const groups = new Map<string, HclBlock[]>();
  for (const block of body.blocks) {
    const id = [block.type, ...block.labels].join("\u0000");
    groups.set(id, [...(groups.get(id) ?? []), block]);
  }
  for (const blocks of groups.values()) {
    for (const block of blocks) {
      const type = block.type;
      if (blocks.length === 1) {
        bodyLeaves(block.body, [...path, type, ...block.labels], out);
        continue;
      }
      // Repeated blocks are a list matched by the `name` attribute, which itself is not changed.
      const [, nameValue] = block.body.attributes.find(([k]) => k === "name")!;
      const label = `[name=${(nameValue as { cell: Cell }).cell.value}]`;
      bodyLeaves(
        {
          attributes: block.body.attributes.filter(([k]) => k !== "name"),
          blocks: block.body.blocks,
        },
        [...path, type, label],
        out,
      );
    }
  }
}

function leaves(config: HclConfig): Leaf[] {
  const out: Leaf[] = [];
  // Top-level blocks have unique type and labels, so each is a map at type → labels.
  bodyLeaves({ attributes: [], blocks: config.blocks }, [], out);
  return out;
}

// --- serializer ---

export interface HclStyle {
  readonly indent: (typeof INDENTS)[number];
  readonly equals: "aligned" | "single" | "tight";
  readonly labels: "quoted" | "bare" | "mixed";
  readonly oneLineBlocks: boolean;
  readonly objects: "inline" | "multiline";
  readonly objectSeparator: "=" | ":";
  readonly quoteObjectKeys: boolean;
  readonly lists: "inline" | "multiline";
  readonly texts: "heredoc" | "indented-heredoc" | "escaped";
  readonly spacing: "tight" | "spaced" | "random";
  /** Call arguments one per line (`max(\n  a,\n  b\n)`). */
  readonly multilineCalls: boolean;
  /** Strings and quoted object keys with every character but letters, digits and spaces as \uNNNN. */
  readonly unicodeEscapes: boolean;
  /** Expressions wrapped as Terraform 0.11 wrote them: `"${var.x}"`. */
  readonly legacyInterpolation: boolean;
  readonly comments: boolean;
  readonly blankLines: boolean;
  readonly crlf: boolean;
  readonly seed: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

class HclWriter {
  readonly lines: string[] = [];
  private readonly random: Random;

  constructor(private readonly s: HclStyle) {
    this.random = randomFrom(s.seed);
  }

  scalar(v: Value): string {
    return typeof v === "string" ? this.string(v) : String(v);
  }

  string(text: string): string {
    if (!this.s.unicodeEscapes) return JSON.stringify(text);
    const escape = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
    return `"${text.replace(/[^A-Za-z0-9 ]/g, escape)}"`;
  }

  /** Joins expression tokens; with `level` and multilineCalls, call arguments go one per line. */
  tokens(tokens: readonly string[], level?: number): string {
    const breaks = level !== undefined && this.s.multilineCalls;
    return tokens
      .map((token, index) => {
        if (token === BREAK && breaks) {
          const closing = tokens[index + 1] === ")";
          return "\n" + this.s.indent.repeat(level + (closing ? 0 : 1));
        }
        if (token !== GAP && token !== BREAK) return token;
        if (this.s.spacing === "random") return chance(this.random, 0.5) ? " " : "";
        return this.s.spacing === "spaced" ? " " : "";
      })
      .join("")
      .replace(/^ +| +$/g, "");
  }

  /** The value's lines: the first goes after `name = `, the others stand on their own. */
  value(v: HclValue, level: number): string[] {
    const inner = this.s.indent.repeat(level + 1);
    const outer = this.s.indent.repeat(level);
    switch (v.kind) {
      case "scalar":
        return [this.scalar(v.cell.value)];
      case "text":
        if (this.s.texts === "escaped") return [JSON.stringify(v.lines.join("\n") + "\n")];
        if (this.s.texts === "heredoc") return ["<<EOT", ...v.lines, "EOT"];
        return ["<<-EOT", ...v.lines.map((line) => inner + line), `${outer}EOT`];
      case "list": {
        const items = v.items.map((item) =>
          typeof item === "object" ? item.reference : this.scalar(item),
        );
        if (this.s.lists === "inline" || items.length === 0) return [`[${items.join(", ")}]`];
        return ["[", ...items.map((item) => `${inner}${item},`), `${outer}]`];
      }
      case "object": {
        const sep = this.s.objectSeparator === ":" ? ": " : " = ";
        const entries = shuffle(v.entries, this.random).map(
          ([k, c]) => `${this.s.quoteObjectKeys ? this.string(k) : k}${sep}${this.scalar(c.value)}`,
        );
        if (entries.length === 0) return ["{}"];
        if (this.s.objects === "inline") return [`{ ${entries.join(", ")} }`];
        const comma = (): string => (chance(this.random, 0.5) ? "," : "");
        return ["{", ...entries.map((entry) => inner + entry + comma()), `${outer}}`];
      }
      case "expr":
        return this.s.legacyInterpolation
          ? [`"\${${this.tokens(v.tokens)}}"`]
          : this.tokens(v.tokens, level).split("\n");
      case "template": {
        const pad = this.s.spacing === "spaced" ? " " : "";
        return [`"${v.before}\${${pad}${this.tokens(v.tokens)}${pad}}${v.after}"`];
      }
    }
  }

  label(text: string): string {
    const bare =
      this.s.labels === "bare" || (this.s.labels === "mixed" && chance(this.random, 0.5));
    return bare && IDENTIFIER.test(text) ? text : JSON.stringify(text);
  }

  comment(indent: string): void {
    if (!this.s.comments || !chance(this.random, 0.2)) return;
    const comment = pick(this.random, [
      ["# tuned = 5"],
      ["// see { docs }"],
      ["/* was: 30 */"],
      ["/* two", "   lines */"],
    ]);
    this.lines.push(...comment.map((line) => indent + line));
  }

  trailing(): string {
    return this.s.comments && chance(this.random, 0.2)
      ? pick(this.random, [" # old: 3", ' // "x"'])
      : "";
  }

  block(block: HclBlock, level: number): void {
    const indent = this.s.indent.repeat(level);
    const head = [block.type, ...block.labels.map((label) => this.label(label))].join(" ");
    const { attributes, blocks } = block.body;
    this.comment(indent);
    if (attributes.length + blocks.length === 0 && this.s.oneLineBlocks) {
      this.lines.push(`${indent}${head} {}${this.trailing()}`);
      return;
    }
    if (this.s.oneLineBlocks && attributes.length === 1 && blocks.length === 0) {
      const [attr, v] = attributes[0]!;
      const rendered = this.value(v, level);
      if (rendered.length === 1) {
        this.lines.push(`${indent}${head} { ${attr} = ${rendered[0]} }${this.trailing()}`);
        return;
      }
    }
    this.lines.push(`${indent}${head} {${this.trailing()}`);
    this.body(block.body, level + 1);
    this.lines.push(`${indent}}`);
  }

  body(body: HclBody, level: number): void {
    const indent = this.s.indent.repeat(level);
    type Item =
      { kind: "attribute"; entry: [string, HclValue] } | { kind: "block"; block: HclBlock };
    const items = shuffle<Item>(
      [
        ...body.attributes.map((entry): Item => ({ kind: "attribute", entry })),
        ...body.blocks.map((block): Item => ({ kind: "block", block })),
      ],
      this.random,
    );
    items.forEach((item, index) => {
      if (index > 0 && this.s.blankLines && (item.kind === "block" || chance(this.random, 0.2)))
        this.lines.push("");
      if (item.kind === "block") return this.block(item.block, level);
      // terraform fmt aligns the `=` of consecutive attributes.
      let width = 0;
      for (let i = index; i < items.length && items[i]!.kind === "attribute"; i++)
        width = Math.max(width, (items[i] as { entry: [string, HclValue] }).entry[0].length);
      for (let i = index; i > 0 && items[i - 1]!.kind === "attribute"; i--)
        width = Math.max(width, (items[i - 1] as { entry: [string, HclValue] }).entry[0].length);
      const [attr, v] = item.entry;
      const eq =
        this.s.equals === "tight"
          ? "="
          : this.s.equals === "single"
            ? " = "
            : `${" ".repeat(width - attr.length)} = `;
      const [first, ...rest] = this.value(v, level);
      this.comment(indent);
      const multiline = rest.length > 0;
      this.lines.push(`${indent}${attr}${eq}${first}${multiline ? "" : this.trailing()}`);
      this.lines.push(...rest);
    });
  }
}

function serialize(config: HclConfig, s: HclStyle): string {
  const writer = new HclWriter(s);
  writer.body({ attributes: [], blocks: config.blocks }, 0);
  return writer.lines.join(s.crlf ? "\r\n" : "\n") + (s.crlf ? "\r\n" : "\n");
}

export const hclGenerator: ConfigGenerator<HclConfig, HclStyle> = {
  format: "hcl",
  config,
  style: fc.record({
    indent: fc.constantFrom(...INDENTS),
    equals: fc.constantFrom("aligned" as const, "single" as const, "tight" as const),
    labels: fc.constantFrom("quoted" as const, "bare" as const, "mixed" as const),
    oneLineBlocks: fc.boolean(),
    objects: fc.constantFrom("inline" as const, "multiline" as const),
    objectSeparator: fc.constantFrom("=" as const, ":" as const),
    quoteObjectKeys: fc.boolean(),
    lists: fc.constantFrom("inline" as const, "multiline" as const),
    texts: fc.constantFrom("heredoc" as const, "indented-heredoc" as const, "escaped" as const),
    spacing: fc.constantFrom("tight" as const, "spaced" as const, "random" as const),
    legacyInterpolation: fc.boolean(),
    multilineCalls: fc.boolean(),
    unicodeEscapes: fc.boolean(),
    comments: fc.boolean(),
    blankLines: fc.boolean(),
    crlf: fc.boolean(),
    seed: fc.integer(),
  }),
  serialize,
  leaves,
  noise: '{}[]()="$%#/*<>,.\n ',
};
