// The names other tools rely on (docs/architecture.md, the `src/shared/` row): renaming one breaks installations.

/** The repository policy, always read from the pull request's base branch. */
export const POLICY_FILE = ".github/changegate.yml";

/** Both spellings of the policy file, the usual one first; a branch holding both is refused. */
export const POLICY_FILES: readonly string[] = [POLICY_FILE, ".github/changegate.yaml"];

/** The check run's name: branch protection and rulesets require it by this name. */
export const CHECK_NAME = "Changegate";

/** The tool's name in SARIF output and user-facing text. */
export const TOOL_NAME = "Changegate";

/**
 * The policy file: `.github/changegate.yml` in either YAML spelling, always, and `custom` (the
 * Action's `config` input, a snapshot's `policyFile`) when the policy is read from another path.
 */
export const isPolicyFile = (path: string, custom?: string): boolean =>
  POLICY_FILES.includes(path) || (custom !== undefined && path === custom);

/**
 * The repository path a caller names as the policy, as GitHub's contents API and a pull request's
 * file list spell it (no leading `./` or `/`); undefined when none is named or it is one of the
 * default names, which are then read as always (both spellings, the owner's `.github` fallback).
 */
export function customPolicyFile(path: string | undefined): string | undefined {
  const normalized = path?.trim().replace(/^(?:\.?\/)+/, "");
  return normalized && !POLICY_FILES.includes(normalized) ? normalized : undefined;
}
