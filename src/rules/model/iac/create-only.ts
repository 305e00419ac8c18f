// Settings that cannot change in place: Terraform ForceNew attributes and CloudFormation
// createOnlyProperties. Changing one replaces the resource.
import type { Scalar, TreeNode } from "../../../formats/tree.js";
import { settingOf, show } from "./settings.js";

export interface CreateOnlyAttribute {
  readonly terraform: string;
  readonly cloudFormation: string;
  /** Terraform Optional+Computed: removing it from the file keeps the current value. */
  readonly computed: boolean;
  /** The value the resource has when the file never set it. */
  readonly initial?: Scalar;
}

export interface CreateOnlyChange {
  readonly name: string;
  readonly was: Scalar | undefined;
  readonly now: Scalar | undefined;
  readonly line: number;
}

interface Side {
  readonly body: TreeNode | undefined;
  readonly line: number;
}

/** The create-only attributes whose value changes between two versions of one resource. */
export function createOnlyChanges(
  before: Side,
  after: Side,
  attributes: readonly CreateOnlyAttribute[],
  terraform: boolean,
  skip: (name: string) => boolean = () => false,
): CreateOnlyChange[] {
  const out: CreateOnlyChange[] = [];
  for (const attribute of attributes) {
    const name = terraform ? attribute.terraform : attribute.cloudFormation;
    if (!name || skip(name)) continue;
    const was = settingOf(before.body, name, undefined, before.line);
    const now = settingOf(after.body, name, undefined, after.line);
    if (was.kind === "unknown" || now.kind === "unknown") continue;
    if (terraform && attribute.computed && now.kind === "default") continue;
    const wasValue = was.kind === "literal" ? was.value : attribute.initial;
    const nowValue = now.kind === "literal" ? now.value : attribute.initial;
    if (normalise(wasValue) === normalise(nowValue)) continue;
    out.push({ name, was: wasValue, now: nowValue, line: now.line });
  }
  return out;
}

function normalise(value: Scalar | undefined): string | undefined {
  return value === undefined || value === null ? undefined : String(value).toUpperCase();
}

/** "port 80 → 8080, name "a" → "b"" */
export function describeChanges(changes: readonly CreateOnlyChange[]): string {
  return changes
    .map(
      (change) =>
        `${change.name} ${show(change.was ?? undefined)} → ${show(change.now ?? undefined)}`,
    )
    .join(", ");
}

export function changeValues(
  changes: readonly CreateOnlyChange[],
  side: "was" | "now",
): Record<string, Scalar> {
  return Object.fromEntries(changes.map((change) => [change.name, change[side] ?? null]));
}
