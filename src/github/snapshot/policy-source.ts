import { parse as parseYamlValue, stringify } from "yaml";
import { POLICY_FILE, POLICY_FILES } from "../../shared/names.js";
import { describeError, statusOf, type GitHubClient } from "../client.js";
import { fileText } from "./contents.js";
import { IncompleteSnapshot } from "./shared.js";

/**
 * The policy cannot be known: a parent named by `_extends` cannot be read, both spellings of the
 * policy file exist, a chain loops. The evaluation fails closed with this message (never the
 * repository's own file or the defaults in its place).
 */
/** A policy that cannot be known whole: the check fails with this title and the reason. */
export class PolicySourceError extends IncompleteSnapshot {
  constructor(message: string) {
    super("Changegate could not load its policy", message);
    this.name = "PolicySourceError";
  }
}

/**
 * The owner's `.github` repository's policy files on its default branch, as a loader already read
 * them (path → text, null when absent); `null`: that repository does not exist or cannot be seen.
 */
export type OrgPolicyFiles = ReadonlyMap<string, string | null> | null;

/** Probot's own limit is a loop check; a chain this long is a mistake, refused like a loop. */
const MAX_CHAIN = 10;

interface PolicyFile {
  readonly owner: string;
  readonly repo: string;
  readonly path: string;
  readonly text: string;
}

/** The policy text (as `loadPolicy` reads it) and where it came from, for messages. */
export interface PolicySource {
  readonly text: string | null;
  /** Set when it is not the repository's own `.github/changegate.yml`. */
  readonly path?: string;
}

/**
 * A policy file named by the caller (`LoadContext.policyPath`, as `customPolicyFile` normalizes
 * it), read at the base commit instead of `.github/changegate.yml`; `baseRef` names the base
 * branch when the file is missing there.
 */
export interface CustomPolicy {
  readonly path: string;
  readonly baseRef: string;
}

/**
 * The policy text from the base branch, and where it came from, with `_extends` resolved the way
 * Probot's config loader (`context.config`, @probot/octokit-plugin-config) does, documented at
 * https://github.com/probot/octokit-plugin-config#readme:
 * - the repository's `.github/changegate.yml` (or `.yaml`; both at once is an error) at the base
 *   commit: the gate uses the PR's base branch, where `context.config` reads the default branch;
 * - none there: the same path in the owner's `.github` repository (default branch), when it exists;
 * - or, with `custom` (the Action's `config` input), exactly that file at the base commit: no
 *   second spelling, no `.github` repository fallback, and a missing file is an error;
 * - `_extends: repo`, `owner/repo` or `owner/repo:path` (owner and path default to the first
 *   file's) is followed from each parent's default branch until a file has no `_extends`; a loop
 *   is refused;
 * - the files are deep-merged as Probot merges them (deepmerge: the extending file's values win,
 *   objects merge key by key, lists are concatenated).
 * Unlike Probot, a parent that cannot be read (missing, App not installed there, timeout) is an
 * error: the gate would otherwise run under a weaker policy than the one written.
 * The text is null when neither the repository nor its owner's `.github` repository has a
 * policy (never with `custom`).
 */
export async function loadPolicy(
  client: GitHubClient,
  owner: string,
  repo: string,
  baseSha: string,
  orgFiles?: OrgPolicyFiles,
  custom?: CustomPolicy,
): Promise<PolicySource> {
  const start = custom
    ? await customPolicyIn(client, owner, repo, baseSha, custom)
    : await defaultPolicy(client, owner, repo, baseSha, orgFiles);
  if (!start) return { text: null };
  const path = start.owner === owner && start.repo === repo ? start.path : where(start);
  const named = (text: string, shown: string): PolicySource =>
    shown === POLICY_FILE ? { text } : { text, path: shown };
  if (extendsOf(start) === undefined) return named(start.text, path);
  const chain = [start];
  for (let current = start; ;) {
    const value = extendsOf(current);
    if (value === undefined) break;
    const target = parseExtends(value, current, start);
    const seen = chain.find((file) => sameFile(file, target));
    if (seen)
      throw new PolicySourceError(
        `the policy's _extends chain loops: ${where(current)} extends ${where(target)}, already read`,
      );
    if (chain.length > MAX_CHAIN)
      throw new PolicySourceError(
        `the policy's _extends chain is longer than ${MAX_CHAIN} files (at ${where(current)})`,
      );
    current = await parentFile(client, target, current, value);
    chain.push(current);
  }
  const merged = chain
    .map(objectOf)
    .reverse()
    .reduce<Record<string, unknown>>((base, next) => deepMerge(base, next), {});
  delete merged._extends;
  const parents = chain.slice(1).map(where).join(", then ");
  return named(
    `# ${where(start)} extended from ${parents}\n${stringify(merged)}`,
    `${path} merged with ${parents}`,
  );
}

/** The App's lookup: the repository's policy file at the base, else the owner's `.github` one. */
async function defaultPolicy(
  client: GitHubClient,
  owner: string,
  repo: string,
  baseSha: string,
  orgFiles: OrgPolicyFiles | undefined,
): Promise<PolicyFile | null> {
  const own = await policyFileIn(client, owner, repo, baseSha);
  if (own || repo.toLowerCase() === ".github") return own;
  return orgPolicy(client, owner, orgFiles);
}

/**
 * The policy file the caller named, at the base commit. Missing is an error, not the defaults:
 * whoever named it expects it to govern (a typo, or a base branch without it, would otherwise
 * run the gate under a weaker policy than the one meant). No `.github` repository fallback.
 */
async function customPolicyIn(
  client: GitHubClient,
  owner: string,
  repo: string,
  baseSha: string,
  custom: CustomPolicy,
): Promise<PolicyFile> {
  const text = await fileText(client, owner, repo, custom.path, baseSha);
  if (text === null)
    throw new PolicySourceError(
      `${custom.path} does not exist at ${custom.baseRef} (${baseSha}): the policy file this gate is configured to read must be on the pull request's base branch`,
    );
  return { owner, repo, path: custom.path, text };
}

/** The policy file of a repository at `ref`: one of both spellings, null when neither exists. */
async function policyFileIn(
  client: GitHubClient,
  owner: string,
  repo: string,
  ref: string,
  known?: ReadonlyMap<string, string | null>,
): Promise<PolicyFile | null> {
  const texts: (string | null)[] = [];
  // One after the other: the second spelling is usually absent, and the loaders' reads are cached.
  for (const path of POLICY_FILES)
    texts.push(
      known?.has(path) ? known.get(path)! : await fileText(client, owner, repo, path, ref),
    );
  const found = POLICY_FILES.flatMap((path, index) => {
    const text = texts[index];
    return text === null || text === undefined ? [] : [{ owner, repo, path, text }];
  });
  if (found.length > 1)
    throw new PolicySourceError(
      `${owner}/${repo} has both ${found.map((file) => file.path).join(" and ")}: keep one policy file`,
    );
  return found[0] ?? null;
}

/** The owner's `.github` repository's policy, the fallback Probot documents; null when it has none. */
async function orgPolicy(
  client: GitHubClient,
  owner: string,
  known: OrgPolicyFiles | undefined,
): Promise<PolicyFile | null> {
  if (known === null) return null;
  try {
    // A missing `.github` repository answers 404 like a missing file: no fallback, as in Probot.
    return await policyFileIn(client, owner, ".github", "HEAD", known);
  } catch (error) {
    if (error instanceof PolicySourceError) throw error;
    throw new PolicySourceError(
      `the policy of ${owner}/.github (the fallback when a repository has none) cannot be read: ${describeError(error)}`,
    );
  }
}

async function parentFile(
  client: GitHubClient,
  target: Omit<PolicyFile, "text">,
  child: PolicyFile,
  value: string,
): Promise<PolicyFile> {
  let text: string | null;
  try {
    text = await fileText(client, target.owner, target.repo, target.path, "HEAD");
  } catch (error) {
    const status = statusOf(error);
    const why =
      status === 403
        ? "the App may not read it (not installed there, or no contents permission)"
        : describeError(error);
    throw new PolicySourceError(`\`_extends: ${value}\` in ${where(child)} cannot be read: ${why}`);
  }
  if (text === null)
    throw new PolicySourceError(
      `\`_extends: ${value}\` in ${where(child)} names ${where(target)}, which does not exist or the App cannot see (is it installed on ${target.owner}/${target.repo}?)`,
    );
  const file = { ...target, text };
  objectOf(file); // a parent that is not a YAML map is refused here, not merged as nothing
  return file;
}

/** `repo`, `owner/repo`, `repo:path` or `owner/repo:path`, as @probot/octokit-plugin-config reads it. */
const EXTENDS =
  /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w]+)(?::([-_./\w]+\.ya?ml))?$/i;

/** Probot resolves a missing owner and path against the file it was first asked for, at every link. */
function parseExtends(
  value: string,
  child: PolicyFile,
  first: PolicyFile,
): Omit<PolicyFile, "text"> {
  const match = EXTENDS.exec(value);
  if (!match)
    throw new PolicySourceError(
      `\`_extends: ${value}\` in ${where(child)} is not \`repo\`, \`owner/repo\` or \`owner/repo:path.yml\``,
    );
  return { owner: match[1] ?? first.owner, repo: match[2]!, path: match[3] ?? first.path };
}

/** The `_extends` value of a file: undefined when it has none; anything but a string is refused. */
function extendsOf(file: PolicyFile): string | undefined {
  const value = objectOf(file)._extends;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string")
    throw new PolicySourceError(`\`_extends\` in ${where(file)} must be a string`);
  return value;
}

function objectOf(file: PolicyFile): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYamlValue(file.text);
  } catch (error) {
    throw new PolicySourceError(`${where(file)} is not valid YAML: ${describeError(error)}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw new PolicySourceError(`${where(file)} is not a YAML map`);
  return value as Record<string, unknown>;
}

/** deepmerge's defaults, which Probot's `context.config` uses: `next` wins, lists are concatenated. */
function deepMerge(
  base: Record<string, unknown>,
  next: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(next)) {
    const previous = out[key];
    if (Array.isArray(previous) && Array.isArray(value)) out[key] = [...previous, ...value];
    else if (isMap(previous) && isMap(value)) out[key] = deepMerge(previous, value);
    else out[key] = value;
  }
  return out;
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const sameFile = (a: Omit<PolicyFile, "text">, b: Omit<PolicyFile, "text">): boolean =>
  a.owner.toLowerCase() === b.owner.toLowerCase() &&
  a.repo.toLowerCase() === b.repo.toLowerCase() &&
  a.path === b.path;

const where = (file: Omit<PolicyFile, "text">): string => `${file.owner}/${file.repo}:${file.path}`;
