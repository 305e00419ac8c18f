import { DEFAULT_POLICY, parsePolicy, type Policy } from "../config/policy.js";
import { readRequired, UsageError } from "./io.js";

/** Loads `--config FILE`, or the defaults. A bad policy is a usage error naming file and line. */
export async function loadPolicyFile(path: string | undefined): Promise<Policy> {
  if (!path) return DEFAULT_POLICY;
  const result = parsePolicy(await readRequired(path, "policy file"));
  if (result.ok) return result.policy;
  const first = result.problems[0]!;
  const more =
    result.problems.length > 1
      ? ` (and ${result.problems.length - 1} more problem(s); run changegate validate-config)`
      : "";
  throw new UsageError(`${path}:${first.line}: ${first.path}: ${first.message}${more}`);
}
