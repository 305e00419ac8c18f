// HAProxy sections (defaults, frontend, backend, listen) with the defaults sections they inherit from, and the
// lookups that resolve a setting through that inheritance: a section's own keyword, else its defaults chain
// (HAProxy configuration manual §4 "Proxies").
import { formatPath, key, type PathSegment } from "../../../diff/path.js";
import {
  child,
  entriesOf,
  itemsOf,
  type ScalarNode,
  type TreeNode,
} from "../../../formats/tree.js";
import { memoByNode } from "../memo.js";
import { keptPairs } from "../pairs.js";

/** The sections that hold servers. */
export type ProxyKind = "backend" | "listen";

export type SectionKind = "defaults" | "frontend" | ProxyKind;

export interface HaproxyDefaults {
  /** undefined for an anonymous `defaults` section. */
  readonly name: string | undefined;
  /** Line of the section header; a proxy inherits the last defaults section above it. */
  readonly line: number;
  readonly body: TreeNode;
}

export interface HaproxySection {
  readonly kind: SectionKind;
  /** undefined for an unnamed defaults section. */
  readonly name: string | undefined;
  /** Stable across versions: `backend:app`, `defaults:web`, `defaults#1` (the second unnamed one). */
  readonly key: string;
  /** How a reviewer names it: `backend app`, `defaults section`. */
  readonly label: string;
  readonly line: number;
  readonly body: TreeNode;
  /** The defaults sections it inherits from, nearest first (for a defaults section: its `from` chain). */
  readonly defaults: readonly HaproxyDefaults[];
}

/** A value found in the file, with the line it was written on. */
export interface Located {
  readonly node: ScalarNode;
  readonly line: number;
}

/** Every defaults, frontend, backend and listen section, in file order; extracted once per tree. */
const sectionsOf = memoByNode((root: TreeNode) => extractSections(root));

export function haproxySections(root: TreeNode | null): HaproxySection[] {
  return root ? sectionsOf(root) : [];
}

function extractSections(root: TreeNode): HaproxySection[] {
  const allDefaults = defaultsSections(root);
  const out: HaproxySection[] = [];
  let unnamed = 0;
  for (const section of allDefaults) {
    const key = section.name === undefined ? `defaults#${unnamed++}` : `defaults:${section.name}`;
    const label = section.name === undefined ? "defaults section" : `defaults ${section.name}`;
    // A defaults section inherits only through `from`; without it, it starts afresh.
    const chain = child(section.body, "from")
      ? chainFor(section.body, allDefaults).filter((other) => other !== section)
      : [];
    out.push({
      kind: "defaults",
      name: section.name,
      key,
      label,
      line: section.line,
      body: section.body,
      defaults: chain,
    });
  }
  for (const kind of ["frontend", "backend", "listen"] as const) {
    for (const [name, node] of entriesOf(child(root, kind))) {
      // A repeated proxy name is a parse problem; each body is still read.
      itemsOf(node).forEach((body, index) => {
        out.push({
          kind,
          name,
          key: `${kind}:${name}${index > 0 ? `#${index}` : ""}`,
          label: `${kind} ${name}`,
          line: body.line,
          body,
          defaults: chainFor(body, allDefaults),
        });
      });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * The parser keeps unnamed defaults as a map (or a list of maps), and switches to NAME → map as soon as one is named.
 * In the named shape each entry is a section whose header is on the container's first line; in the unnamed shape
 * only the scalar `from` can sit on the header line.
 */
function defaultsSections(root: TreeNode): HaproxyDefaults[] {
  const node = child(root, "defaults");
  if (!node) return [];
  if (node.kind === "list")
    return node.items.map((body) => ({ name: undefined, line: body.line, body }));
  if (node.kind !== "map") return [];
  const named = entriesOf(node).some(
    ([, value]) => value.kind !== "scalar" && value.line === node.line,
  );
  if (!named) return [{ name: undefined, line: node.line, body: node }];
  const sections = entriesOf(node).flatMap(([name, value]) =>
    itemsOf(value).map((body) => ({ name: name === "" ? undefined : name, line: body.line, body })),
  );
  return sections.sort((a, b) => a.line - b.line);
}

// A proxy uses the defaults section named by `from`, else the last one declared above it; a defaults section can
// itself name another with `from` (HAProxy 2.4+ named defaults).
function chainFor(body: TreeNode, all: readonly HaproxyDefaults[]): HaproxyDefaults[] {
  const chain: HaproxyDefaults[] = [];
  let current = pick(body, all);
  while (current && !chain.includes(current)) {
    chain.push(current);
    current = fromName(current.body) === undefined ? undefined : pick(current.body, all);
  }
  return chain;
}

function pick(body: TreeNode, all: readonly HaproxyDefaults[]): HaproxyDefaults | undefined {
  const from = fromName(body);
  if (from !== undefined) return all.find((section) => section.name === from);
  return all.filter((section) => section.line < body.line).at(-1);
}

function fromName(body: TreeNode): string | undefined {
  const from = child(body, "from");
  return from?.kind === "scalar" && typeof from.value === "string" ? from.value : undefined;
}

export const holdsServers = (section: HaproxySection): boolean =>
  section.kind === "backend" || section.kind === "listen";

/** The last scalar written for a keyword (a repeated keyword is a list, HAProxy keeps the last line). */
export function lastScalar(node: TreeNode | undefined): ScalarNode | undefined {
  const last = itemsOf(node).at(-1);
  return last?.kind === "scalar" ? last : undefined;
}

/** A section keyword (`timeout server`, `balance` ...) where it is written: the section itself, else its defaults. */
export function inheritedValue(
  section: HaproxySection,
  ...keys: string[]
): (Located & { readonly own: boolean }) | undefined {
  const bodies = [section.body, ...section.defaults.map((defaults) => defaults.body)];
  for (const [index, body] of bodies.entries()) {
    let node: TreeNode | undefined = body;
    for (const key of keys) node = child(node, key);
    const scalar = lastScalar(node);
    if (scalar) return { node: scalar, line: scalar.line, own: index === 0 };
  }
  return undefined;
}

/** The sections that take their settings from a defaults section (directly or through a `from` chain). */
export function inheritors(
  sections: readonly HaproxySection[],
  defaults: HaproxySection,
): HaproxySection[] {
  return sections.filter(
    (section) =>
      section.kind !== "defaults" &&
      section.defaults.some((parent) => parent.body === defaults.body),
  );
}

/** Sections present in both versions, paired by key. */
export function sectionPairs(
  before: TreeNode | null,
  after: TreeNode | null,
): [HaproxySection, HaproxySection][] {
  return keptPairs(haproxySections(before), haproxySections(after));
}

/** A scalar value as written, for comparing two versions (`undefined` when absent). */
export function written(node: TreeNode | undefined): string | undefined {
  const scalar = lastScalar(node);
  return scalar === undefined ? undefined : JSON.stringify(scalar.value);
}

/** Tree path of a section: `backend.app`, `defaults.web`, `defaults` (unnamed). */
function sectionSegments(section: HaproxySection): PathSegment[] {
  return section.name === undefined ? [key(section.kind)] : [key(section.kind), key(section.name)];
}

export function sectionPath(section: HaproxySection, ...keys: string[]): string {
  return formatPath([...sectionSegments(section), ...keys.map(key)]);
}
