import type { Change } from "../diff/semantic-diff.js";
import type { Format } from "../formats/types.js";
import type { Plain, TreeNode } from "../formats/tree.js";
import type { Dialect } from "../formats/dialect.js";
import type { Severity } from "./severity.js";

export type Family =
  | "lb"
  | "aws"
  | "gcp"
  | "azure"
  | "haproxy"
  | "nginx"
  | "envoy"
  | "traefik"
  | "kubernetes"
  | "compose"
  | "generic"
  | "cross";

/** Families in catalog order: the cross-format load-balancer rules first, then per provider. */
export const FAMILIES: readonly Family[] = [
  "lb",
  "aws",
  "gcp",
  "azure",
  "haproxy",
  "nginx",
  "envoy",
  "traefik",
  "kubernetes",
  "compose",
  "generic",
  "cross",
];

/** One file of the change, parsed on both sides. Rules read it; they never see I/O. */
export interface FileUnderReview {
  readonly path: string;
  readonly format: Format;
  readonly dialect: Dialect;
  readonly status: "added" | "removed" | "modified";
  readonly before: TreeNode | null;
  readonly after: TreeNode | null;
  readonly changes: readonly Change[];
  /** The text of the after side (the outer file's for an embedded config), for `fix` lines; absent in some tests. */
  readonly afterText?: string;
}

export type ParamValue = number | string | boolean;

export interface ParamSpec<V extends ParamValue = ParamValue> {
  readonly default: V;
  readonly description: string;
}

export type Params = Record<string, ParamValue>;

/**
 * A single-line safe edit: replace the whole line `line` (1-based, after side) of the finding's file
 * (or of `path`) with `replacement`. Only where the safe edit is one line (docs/output.md).
 */
export interface Fix {
  readonly line: number;
  readonly path?: string;
  readonly replacement: string;
}

/**
 * What a rule reports: where, how bad, why (with the figures), and what a reviewer should check.
 * A high or critical detection's message ends with the safe value or edit ("Safe: …").
 */
export interface Detection {
  readonly severity: Severity;
  readonly line: number;
  readonly path?: string;
  readonly message: string;
  readonly before?: Plain;
  readonly after?: Plain;
  /** The derived figures behind the judgement, e.g. `{ ejectAfterSecondsBefore: 90, ejectAfterSeconds: 10 }`. */
  readonly figures?: Readonly<Record<string, number | string | boolean>>;
  readonly checklist: readonly string[];
  readonly fix?: Fix;
}

/** What every rule declares, whichever view of the change it reads. */
interface RuleInfo<P extends Params> {
  readonly id: string;
  readonly family: Family;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly params: { readonly [K in keyof P]: ParamSpec<P[K]> };
  /** Dialects the rule reads; "any" for rules that look at every file. */
  readonly dialects: readonly Dialect[] | "any";
}

/** A rule is data plus one function; `severity` is the highest it reports with default settings. */
export interface Rule<P extends Params = Params> extends RuleInfo<P> {
  readonly scope?: "file";
  check(file: FileUnderReview, params: P): Detection[];
}

/**
 * One file of the workspace: a changed file parsed on both sides, or an unchanged context file
 * (`status: "unchanged"`, the same tree on both sides, no changes).
 */
export interface WorkspaceFile extends Omit<FileUnderReview, "status"> {
  readonly status: FileUnderReview["status"] | "unchanged";
}

/**
 * The whole change as cross-file rules see it: every infrastructure file of the change that parsed
 * (changed: true), then the unchanged files given as context (docs/architecture.md, "The workspace view").
 */
export interface Workspace {
  readonly files: readonly WorkspaceFile[];
}

/** A cross-file detection names the changed file it belongs to (its line is in that file). */
export interface WorkspaceDetection extends Detection {
  readonly file: string;
}

/**
 * A rule that reads the whole change at once: it runs when the workspace holds more than one file
 * and a changed file of one of its dialects, and reports only what joins files (what one file
 * shows on its own is a file rule's). Same settings, catalog and docs as file rules.
 */
export interface WorkspaceRule<P extends Params = Params> extends RuleInfo<P> {
  readonly scope: "workspace";
  check(workspace: Workspace, params: P): WorkspaceDetection[];
}

/**
 * A rule with its parameter types erased, as the catalog and the engine hold it: the engine
 * passes each rule the params its own spec declares, so a rule never sees another's shape.
 */
export type AnyRule = Rule<Params> | WorkspaceRule<Params>;

/** A file rule with its parameter types erased. */
export type AnyFileRule = Rule<Params>;

/** A cross-file rule with its parameter types erased. */
export type AnyWorkspaceRule = WorkspaceRule<Params>;

/** One rule's judgement inside a merged finding. */
export interface Reason {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
}

export interface Finding extends Detection {
  readonly rule: string;
  readonly file: string;
  /** Other rules that described the same consequence on the same line (src/engine/overlaps.ts). */
  readonly alsoRules?: readonly string[];
  /** When findings were merged: each rule's own severity and message, the primary's first. */
  readonly reasons?: readonly Reason[];
}

/** Lets a rule file declare its params with their types inferred; the catalog sees an `AnyRule`. */
export function defineRule<P extends Params>(rule: Rule<P>): AnyRule {
  return rule;
}

/** Lets a cross-file rule file declare its params with their types inferred. */
export function defineWorkspaceRule<P extends Params>(rule: WorkspaceRule<P>): AnyRule {
  return rule;
}

export function isWorkspaceRule(rule: AnyRule): rule is AnyWorkspaceRule {
  return rule.scope === "workspace";
}
