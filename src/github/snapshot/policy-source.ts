import { parse as parseYamlValue, stringify } from "yaml";
import { fileText } from "./contents.js";
import { POLICY_FILE } from "../../shared/names.js";
import type { GitHubClient } from "../client.js";

/**
 * The policy text from the base branch, with `_extends` resolved the way Probot's config loader
 * does (`_extends: repo`, `owner/repo` or `owner/repo:path`, from that repository's default
 * branch; the extending file's keys win). We resolve it ourselves rather than with
 * `context.config`, which reads the default branch: the gate must use the PR's base branch.
 */
export async function loadPolicyText(
  client: GitHubClient,
  owner: string,
  repo: string,
  baseSha: string,
): Promise<string | null> {
  const text = await fileText(client, owner, repo, POLICY_FILE, baseSha);
  if (text === null) return null;
  const extendsTarget = extendsOf(text);
  if (!extendsTarget) return text;
  const [targetRepo, targetPath] = extendsTarget.split(":") as [string, string | undefined];
  const [targetOwner, targetName] = targetRepo.includes("/")
    ? targetRepo.split("/")
    : [owner, targetRepo];
  const parent = await fileText(
    client,
    targetOwner!,
    targetName!,
    targetPath ?? POLICY_FILE,
    "HEAD",
  );
  if (parent === null) return text;
  const merged = {
    ...(asObject(parseYamlValue(parent)) ?? {}),
    ...(asObject(parseYamlValue(text)) ?? {}),
  };
  delete (merged as Record<string, unknown>)._extends;
  return `# ${POLICY_FILE} extended from ${extendsTarget}\n${stringify(merged)}`;
}

function extendsOf(text: string): string | undefined {
  try {
    const value = asObject(parseYamlValue(text))?._extends;
    return typeof value === "string" && /^[\w.-]+(\/[\w.-]+)?(:[\w./-]+)?$/.test(value)
      ? value
      : undefined;
  } catch {
    return undefined; // invalid YAML: the policy validation reports it with its line
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
