// YAML configs: one document of nested data, or a Kubernetes-like multi-document manifest whose documents are
// matched by kind and name. Styles: 2 or 4 spaces, sequences indented or not, block or flow from some depth on,
// plain/single/double quoting, block scalars, multi-line flow collections, comments, an explicit `---`, shuffled keys, documents and named items, LF or CRLF.
import fc from "fast-check";
import {
  chance,
  name,
  pick,
  randomFrom,
  shuffle,
  trickyString,
  type ConfigGenerator,
  type Leaf,
  type Random,
} from "./common.js";
import { listNode } from "../../../src/formats/tree.js";
import {
  dataLeaves,
  dataTree,
  isNamedList,
  mapArbitrary,
  scalar,
  type Data,
  type DataList,
  type DataMap,
} from "./data.js";

export interface YamlStyle {
  readonly indent: 2 | 4;
  /** `key:\n  - a` (true) or `key:\n- a` (false). */
  readonly indentSequences: boolean;
  /** Collections at this depth or deeper are written in flow style (`{a: 1}`); 0 = the whole document. */
  readonly flowDepth: number;
  readonly quoting: "minimal" | "single" | "double";
  readonly flowSpaces: boolean;
  /** Top flow collections written one entry per line, `key: [` ... `]`. */
  readonly multilineFlow: boolean;
  /** Some strings written as block scalars (`|-` / `>-` and the text on the next line). */
  readonly blockScalars: boolean;
  readonly comments: boolean;
  readonly explicitStart: boolean;
  readonly crlf: boolean;
  readonly seed: number;
}

/** One document, or several Kubernetes-like objects (identity: kind, namespace, name). */
export type YamlConfig =
  | { readonly kind: "single"; readonly root: DataMap }
  | { readonly kind: "manifest"; readonly documents: DataMap[] };

const KINDS = ["Deployment", "Service", "ConfigMap", "Ingress", "HorizontalPodAutoscaler"] as const;

const body = mapArbitrary({ strings: trickyString, depth: 2, minKeys: 1, maxKeys: 5 });

const document = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    name,
    namespace: fc.option(fc.constantFrom("default", "prod", "edge"), { nil: undefined }),
    labels: mapArbitrary({ strings: trickyString, depth: 0, maxKeys: 3 }),
    spec: body,
  })
  .map(({ kind, name: objectName, namespace, labels, spec }): DataMap => ({
    kind: "map",
    entries: [
      ["apiVersion", scalar(kind === "Deployment" ? "apps/v1" : "v1")],
      ["kind", scalar(kind)],
      [
        "metadata",
        {
          kind: "map",
          entries: [
            ["name", scalar(objectName)],
            ...(namespace ? [["namespace", scalar(namespace)] as [string, Data]] : []),
            ["labels", labels],
          ],
        },
      ],
      ["spec", spec],
    ],
  }));

const config: fc.Arbitrary<YamlConfig> = fc.oneof(
  mapArbitrary({ strings: trickyString, depth: 3, minKeys: 2, maxKeys: 6 }).map(
    (root): YamlConfig => ({ kind: "single", root }),
  ),
  fc
    .uniqueArray(document, {
      minLength: 2,
      maxLength: 4,
      selector: (doc) => identity(doc),
    })
    .map((documents): YamlConfig => ({ kind: "manifest", documents })),
);

function entry(map: DataMap, key: string): Data | undefined {
  return map.entries.find(([k]) => k === key)?.[1];
}

/** `Kind/name` or `Kind/namespace/name`, as the diff labels Kubernetes objects. */
function identity(doc: DataMap): string {
  const metadata = entry(doc, "metadata") as DataMap;
  const value = (node: Data | undefined): string | undefined =>
    node?.kind === "scalar" ? String(node.value) : undefined;
  const namespace = value(entry(metadata, "namespace"));
  const kind = value(entry(doc, "kind"))!;
  const objectName = value(entry(metadata, "name"))!;
  return namespace ? `${kind}/${namespace}/${objectName}` : `${kind}/${objectName}`;
}

function leaves(config: YamlConfig): Leaf[] {
  if (config.kind === "single") return dataLeaves(config.root, []);
  return config.documents.flatMap((doc) => {
    const prefix = `[${identity(doc)}]`;
    const metadata = entry(doc, "metadata") as DataMap;
    return [
      ...dataLeaves(entry(doc, "spec")!, [prefix, "spec"]),
      ...dataLeaves(entry(metadata, "labels")!, [prefix, "metadata", "labels"]),
    ];
  });
}

// --- serializer ---

const RESERVED_PLAIN = /^(true|false|null|yes|no|on|off|y|n|~|[-+]?\.?(inf|nan))$/i;

/** Whether a string may be written unquoted (in flow context too): no indicators, not another type. */
function plainSafe(text: string): boolean {
  if (RESERVED_PLAIN.test(text)) return false;
  if (/^\d+(ms|s|m|h)$/.test(text)) return true;
  return /^[A-Za-z/][A-Za-z0-9 ._/-]*$/.test(text) && !/\s$/.test(text);
}

class YamlWriter {
  readonly lines: string[] = [];
  private readonly random: Random;

  constructor(private readonly s: YamlStyle) {
    this.random = randomFrom(s.seed);
  }

  scalar(value: Data & { kind: "scalar" }): string {
    const v = value.value;
    if (typeof v !== "string") return String(v);
    const quoting =
      this.s.quoting === "minimal" ? (plainSafe(v) ? "plain" : "double") : this.s.quoting;
    if (quoting === "single") return `'${v.replace(/'/g, "''")}'`;
    if (quoting === "double" || !plainSafe(v)) return JSON.stringify(v);
    return v;
  }

  key(text: string): string {
    return this.s.quoting === "double" && chance(this.random, 0.5) ? JSON.stringify(text) : text;
  }

  comment(indent: string): void {
    if (this.s.comments && chance(this.random, 0.25))
      this.lines.push(
        `${indent}# ${pick(this.random, ["note: [x] {y}", "tuned - see #12", "keep, 'as is'"])}`,
      );
  }

  trailing(): string {
    return this.s.comments && chance(this.random, 0.2) ? " # was: 5s, {old}" : "";
  }

  entries(map: DataMap): [string, Data][] {
    return shuffle(map.entries, this.random);
  }

  items(list: DataList): Data[] {
    return isNamedList(list) ? shuffle(list.items, this.random) : list.items;
  }

  /** A flow collection; with `column` (the parent's) and multilineFlow, one entry per line. */
  flow(node: Data, column?: number): string {
    if (node.kind === "scalar") return this.scalar(node);
    const pad = this.s.flowSpaces ? " " : "";
    const parts =
      node.kind === "map"
        ? this.entries(node).map(([k, v]) => `${this.key(k)}: ${this.flow(v)}`)
        : this.items(node).map((item) => this.flow(item));
    const [open, close] = node.kind === "map" ? ["{", "}"] : ["[", "]"];
    if (parts.length === 0) return open + close;
    if (column !== undefined && this.s.multilineFlow) {
      const inner = " ".repeat(column + this.s.indent);
      return `${open}\n${parts.map((part) => inner + part).join(",\n")}\n${" ".repeat(column)}${close}`;
    }
    return `${open}${pad}${parts.join(", ")}${pad}${close}`;
  }

  /** A value after `key:` or `- ` at `column`: inline when scalar, empty or flow; else lines below. */
  inline(node: Data, depth: number, column: number): string | undefined {
    if (node.kind === "scalar") {
      const v = node.value;
      if (typeof v === "string" && this.s.blockScalars && chance(this.random, 0.3)) {
        const header = pick(this.random, ["|-", ">-"]);
        return `${header}${this.trailing()}\n${" ".repeat(column + this.s.indent)}${v}`;
      }
      return this.scalar(node) + this.trailing();
    }
    if (node.kind === "map" ? node.entries.length === 0 : node.items.length === 0)
      return this.flow(node);
    return depth >= this.s.flowDepth ? this.flow(node, column) : undefined;
  }

  map(map: DataMap, column: number, depth: number, firstComment = true): void {
    const indent = " ".repeat(column);
    this.entries(map).forEach(([k, v], index) => {
      if (index > 0 || firstComment) this.comment(indent);
      const inline = this.inline(v, depth + 1, column);
      if (inline !== undefined) {
        this.lines.push(`${indent}${this.key(k)}: ${inline}`);
        return;
      }
      this.lines.push(`${indent}${this.key(k)}:${this.trailing()}`);
      if (v.kind === "map") this.map(v, column + this.s.indent, depth + 1);
      else
        this.list(
          v as DataList,
          this.s.indentSequences ? column + this.s.indent : column,
          depth + 1,
        );
    });
  }

  list(list: DataList, column: number, depth: number): void {
    const indent = " ".repeat(column);
    for (const item of this.items(list)) {
      const inline = this.inline(item, depth + 1, column);
      if (inline !== undefined) {
        this.lines.push(`${indent}- ${inline}`);
        continue;
      }
      // A block map item: its first key on the dash line, the others aligned under it.
      const start = this.lines.length;
      this.map(item as DataMap, column + 2, depth + 1, false);
      this.lines[start] = `${indent}- ${this.lines[start]!.slice(column + 2)}`;
    }
  }

  document(root: DataMap): void {
    this.comment("");
    if (root.entries.length === 0 || this.s.flowDepth === 0) this.lines.push(this.flow(root, 0));
    else this.map(root, 0, 0);
  }
}

function serialize(config: YamlConfig, s: YamlStyle): string {
  const writer = new YamlWriter(s);
  const documents =
    config.kind === "single" ? [config.root] : shuffle(config.documents, randomFrom(s.seed + 1));
  documents.forEach((doc, index) => {
    if (index > 0 || s.explicitStart) writer.lines.push("---");
    writer.document(doc);
  });
  const text = writer.lines.join("\n") + "\n";
  return s.crlf ? text.replace(/\n/g, "\r\n") : text;
}

export const yamlGenerator: ConfigGenerator<YamlConfig, YamlStyle> = {
  format: "yaml",
  config,
  style: fc.record({
    indent: fc.constantFrom(2 as const, 4 as const),
    indentSequences: fc.boolean(),
    flowDepth: fc.oneof({ weight: 3, arbitrary: fc.constant(99) }, fc.constantFrom(0, 1, 2, 3)),
    quoting: fc.constantFrom("minimal" as const, "single" as const, "double" as const),
    flowSpaces: fc.boolean(),
    multilineFlow: fc.boolean(),
    blockScalars: fc.boolean(),
    comments: fc.boolean(),
    explicitStart: fc.boolean(),
    crlf: fc.boolean(),
    seed: fc.integer(),
  }),
  serialize,
  leaves,
  expected: (config) =>
    config.kind === "single" ? dataTree(config.root) : listNode(1, config.documents.map(dataTree)),
  noise: ":-[]{},#&*!|>'\"%@` \n",
};
