// The names other tools rely on (docs/architecture.md, the `src/shared/` row): renaming one breaks installations.

/** The repository policy, always read from the pull request's base branch. */
export const POLICY_FILE = ".github/changegate.yml";

/** Both spellings of the policy file, the usual one first; a branch holding both is refused. */
export const POLICY_FILES: readonly string[] = [POLICY_FILE, ".github/changegate.yaml"];

/** The check run's name: branch protection and rulesets require it by this name. */
export const CHECK_NAME = "Changegate";

/** The tool's name in SARIF output and user-facing text. */
export const TOOL_NAME = "Changegate";

/** The policy file at the repository root, in either YAML spelling. */
export const isPolicyFile = (path: string): boolean => POLICY_FILES.includes(path);
