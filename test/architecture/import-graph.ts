// The import graph of src/ and the map in docs/architecture.md, for test/architecture.test.ts.
// Imports are read by TypeScript's own pre-processor (import, import type, export … from,
// dynamic import()), so a type-only import is an edge like any other.
import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import ts from "typescript";

/** One module of src/: its path from the repository root and what it imports. */
export interface ModuleImports {
  readonly file: string;
  /** Repository paths of the modules of ours it imports (resolved `.js` → `.ts`). */
  readonly local: readonly string[];
}

/** A row of the map: a folder (or file) of src/ and the rows it may import. */
export interface MapRow {
  /** `formats`, `rules/model`, `rules/*` (each folder below rules/), `index.ts`. */
  readonly key: string;
  readonly mayImport: readonly string[];
}

/** A broken promise of the map. */
export type Violation =
  | { readonly kind: "unmapped"; readonly file: string }
  | {
      readonly kind: "forbidden";
      readonly from: string;
      readonly to: string;
      readonly rule: string;
    }
  | { readonly kind: "unknown-row"; readonly row: string; readonly name: string };

const toPosix = (path: string): string => path.split(sep).join("/");

/** Every `.ts` file below `dir`, as repository paths relative to `root`. */
export function sourceFiles(root: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        found.push(toPosix(relative(root, path)));
      }
    }
  };
  walk(join(root, dir));
  return found.sort();
}

/** What one module imports, from its text. */
export function importsOf(file: string, text: string): ModuleImports {
  const specifiers = ts
    .preProcessFile(text, true, true)
    .importedFiles.map((imported) => imported.fileName);
  // Bare specifiers are packages: ESLint's no-restricted-imports says which a folder may use.
  const local = specifiers
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) =>
      posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, ".ts"),
    );
  return { file, local };
}

/** The import graph of every module below `dir` (e.g. `src`). */
export function importGraph(root: string, dir: string): ModuleImports[] {
  return sourceFiles(root, dir).map((file) =>
    importsOf(file, readFileSync(join(root, file), "utf8")),
  );
}

/** Every import cycle (strongly connected component of more than one module, or a self-import). */
export function findCycles(graph: readonly ModuleImports[]): string[][] {
  const edges = new Map(graph.map((module) => [module.file, module.local] as const));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  // Tarjan's algorithm, iterative so a deep graph cannot overflow the call stack.
  for (const start of edges.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = (edges.get(frame.node) ?? []).filter((target) => edges.has(target));
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfImport = (edges.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfImport) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}

/**
 * The rows of the map: the table of `markdown` whose header has "folder" and "may import".
 * The folder cell names a path below `src/` in backticks; the may-import cell lists row keys in
 * backticks (`formats`, `rules/model`), nothing when the row imports nothing of ours.
 */
export function parseMap(markdown: string): MapRow[] {
  const lines = markdown.split("\n");
  const header = lines.findIndex(
    (line) => /^\|\s*folder\s*\|/i.test(line) && /may import/i.test(line),
  );
  if (header < 0) throw new Error("no table with the columns 'folder' and 'may import'");
  const columns = cellsOf(lines[header]!);
  const mayImportColumn = columns.findIndex((cell) => /may import/i.test(cell));
  const rows: MapRow[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    const cells = cellsOf(line);
    const folder = /`src\/([^`]*)`/.exec(cells[0] ?? "")?.[1];
    if (folder === undefined) throw new Error(`a row names no src/ folder: ${line.slice(0, 80)}`);
    const mayImport = [...(cells[mayImportColumn] ?? "").matchAll(/`([^`]+)`/g)].map(
      (match) => match[1]!,
    );
    rows.push({ key: folder.replace(/\/$/, ""), mayImport });
  }
  return rows;
}

function cellsOf(line: string): string[] {
  return line
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((cell) => cell.trim());
}

/**
 * The row a module of src/ belongs to: the most specific row whose folder holds it. A `*` row
 * (`rules/*`) stands for each folder below its parent, and each such folder is its own group:
 * `rules/aws` importing `rules/gcp` is an import between rows.
 */
export function rowOf(
  rows: readonly MapRow[],
  file: string,
): { readonly row: MapRow; readonly group: string } | undefined {
  const path = file.replace(/^src\//, "");
  let best: { row: MapRow; group: string } | undefined;
  for (const row of rows) {
    let group: string | undefined;
    if (row.key.endsWith("/*")) {
      const parent = row.key.slice(0, -2);
      const match = new RegExp(`^${escape(parent)}/([^/]+)/`).exec(path);
      if (match) group = `${parent}/${match[1]}`;
    } else if (path === row.key || path.startsWith(`${row.key}/`)) {
      group = row.key;
    }
    if (group !== undefined && (!best || group.length > best.group.length)) best = { row, group };
  }
  return best;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every import of the graph that the map does not allow, and every module the map misses. */
export function checkMap(rows: readonly MapRow[], graph: readonly ModuleImports[]): Violation[] {
  const violations: Violation[] = [];
  const keys = new Set(rows.map((row) => row.key));
  for (const row of rows) {
    for (const name of row.mayImport) {
      if (!keys.has(name)) violations.push({ kind: "unknown-row", row: row.key, name });
    }
  }
  for (const module of graph) {
    const from = rowOf(rows, module.file);
    if (!from) {
      violations.push({ kind: "unmapped", file: module.file });
      continue;
    }
    for (const target of module.local) {
      // The CLI reads its version from the package manifest, which ships beside dist/.
      if (target === "package.json") continue;
      if (!target.startsWith("src/")) {
        violations.push({ kind: "forbidden", from: module.file, to: target, rule: "outside src/" });
        continue;
      }
      const to = rowOf(rows, target);
      if (!to) continue; // reported as unmapped when the target itself is visited
      if (to.group === from.group) continue;
      if (!from.row.mayImport.includes(to.row.key)) {
        violations.push({
          kind: "forbidden",
          from: module.file,
          to: target,
          rule: `${from.group} may import ${from.row.mayImport.join(", ") || "nothing of ours"}`,
        });
      }
    }
  }
  return violations;
}

/** One line per violation, for a failing test's message. */
export function describeViolation(violation: Violation): string {
  switch (violation.kind) {
    case "unmapped":
      return `${violation.file}: no row of docs/architecture.md holds it`;
    case "forbidden":
      return `${violation.from} imports ${violation.to}: ${violation.rule}`;
    case "unknown-row":
      return `row ${violation.row}: may import names ${violation.name}, which is no row`;
  }
}
