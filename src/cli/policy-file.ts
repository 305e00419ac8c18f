import { DEFAULT_POLICY, policyOfYaml, problemText, type Policy } from "../config/policy.js";
import { at, toPlain, type TreeNode } from "../formats/tree.js";
import { parseYaml } from "../formats/yaml.js";
import { filesAt, shortCommit } from "../git/local.js";
import { plural } from "../rules/message.js";
import { POLICY_FILE, POLICY_FILES } from "../shared/names.js";
import { readRequired, UsageError } from "./io.js";

/** Loads `--config FILE`, or the defaults. A bad policy is a usage error naming file and line. */
export async function loadPolicyFile(path: string | undefined): Promise<Policy> {
  if (!path) return DEFAULT_POLICY;
  return policyFromText(await readRequired(path, "policy file"), path, undefined);
}

/** The policy `analyze` runs under, and the stderr line that says which it is. */
export interface ChosenPolicy {
  readonly policy: Policy;
  readonly said: string;
}

/**
 * The policy the App would read for a pull request into `base` (src/github/snapshot/policy-source.ts):
 * `.github/changegate.yml` or `.yaml` at `base` (both is an error), else the defaults; `--config`
 * overrides. The owner's `.github` repository and `_extends` live on GitHub and are not read here.
 */
export async function repositoryPolicy(
  repo: string,
  base: string,
  config: string | undefined,
): Promise<ChosenPolicy> {
  if (config) return { policy: await loadPolicyFile(config), said: `${config} (--config)` };
  const found = await filesAt(repo, base, POLICY_FILES);
  if (found.length > 1)
    throw new UsageError(`${base} has both ${names(found)}: keep one policy file`);
  const file = found[0];
  if (!file)
    return {
      policy: DEFAULT_POLICY,
      said: `the embedded default (no ${POLICY_FILE} at ${base}; the owner's .github repository is not read offline)`,
    };
  const commit = await shortCommit(repo, base);
  return {
    policy: policyFromText(file.text, file.path, `at ${base}, ${commit}`),
    said: `${file.path} at ${base} (${commit})`,
  };
}

const names = (files: readonly { path: string }[]): string =>
  files.map((file) => file.path).join(" and ");

/**
 * Parses the policy text of `file` (read at `ref`, when said: "at main, 0c5ff7d"); `_extends` is
 * refused, never dropped in silence. A problem reads `FILE:LINE: what (at REF, COMMIT; N more …)`.
 */
function policyFromText(text: string, file: string, ref: string | undefined): Policy {
  const suffix = (more: string): string => {
    const said = [ref, more].filter(Boolean).join("; ");
    return said === "" ? "" : ` (${said})`;
  };
  const parsed = parseYaml(text);
  const parent = parsed.ok ? extendsOf(parsed.tree) : undefined;
  if (parent !== undefined)
    throw new UsageError(
      `${file}:${parent.line}: _extends: ${parent.value} names another repository's policy, which cannot be read offline; pass the merged policy with --config FILE${suffix("")}`,
    );
  const result = policyOfYaml(parsed);
  if (result.ok) return result.policy;
  const first = result.problems[0]!;
  const others = result.problems.length - 1;
  const more =
    others === 0
      ? ""
      : `${plural(others, "more problem", "more problems")}: run changegate validate-config`;
  throw new UsageError(`${file}:${first.line}: ${problemText(first)}${suffix(more)}`);
}

/** The `_extends` name of a policy (as the App reads it: null is none) and its line, if any. */
function extendsOf(tree: TreeNode): { value: string; line: number } | undefined {
  const node = at(tree, "_extends");
  if (tree.kind !== "map" || node === undefined) return undefined;
  const value = toPlain(node);
  // Not a name (null, a number, a mapping): the schema's own problem, as the App reports it.
  if (typeof value !== "string") return undefined;
  return { value, line: node.line };
}
