/**
 * The Action's inputs, as the runner passes them: `INPUT_<NAME>` with the name upper-cased and
 * spaces replaced by underscores, hyphens kept (https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#inputs).
 * action.yml declares them with their defaults; docs/action.md describes them.
 */
import { isSeverity, type Severity } from "../rules/severity.js";
import { POLICY_FILE } from "../shared/names.js";

export interface ActionInputs {
  readonly token: string;
  /** The policy file at the base commit. */
  readonly config: string;
  readonly failOn: Severity | undefined;
  readonly comment: boolean;
  /** Where to write SARIF; undefined: not written. */
  readonly sarif: string | undefined;
  /** The login the token writes as (`github-actions[bot]` for GITHUB_TOKEN). */
  readonly botLogin: string;
  /** Signs the sticky comment's state; undefined: derived from the repository (not secret). */
  readonly stateKey: string | undefined;
}

/** A bad input or environment: one line, and the job fails before anything is written. */
export class ActionInputError extends Error {
  override readonly name = "ActionInputError";
}

export const DEFAULT_BOT_LOGIN = "github-actions[bot]";

const input = (env: NodeJS.ProcessEnv, name: string): string =>
  (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const token = input(env, "github-token");
  if (!token)
    throw new ActionInputError(
      "input github-token is empty: give the Action a token (the default is the workflow's GITHUB_TOKEN)",
    );
  const failOn = input(env, "fail-on") || undefined;
  if (failOn !== undefined && (!isSeverity(failOn) || failOn === "none"))
    throw new ActionInputError(
      `input fail-on must be one of low, medium, high, critical (got "${failOn}")`,
    );
  const comment = input(env, "comment").toLowerCase() || "on";
  if (!["on", "off", "true", "false"].includes(comment))
    throw new ActionInputError(`input comment must be on or off (got "${comment}")`);
  const config = input(env, "config") || POLICY_FILE;
  if (config.startsWith("/") || config.split("/").includes(".."))
    throw new ActionInputError(
      `input config must be a path inside the repository, like ${POLICY_FILE} (got "${config}")`,
    );
  const botLogin = input(env, "bot-login") || DEFAULT_BOT_LOGIN;
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*(\[bot\])?$/.test(botLogin))
    throw new ActionInputError(
      `input bot-login must be an account login such as ${DEFAULT_BOT_LOGIN} (got "${botLogin}")`,
    );
  return {
    token,
    config,
    failOn,
    comment: comment === "on" || comment === "true",
    sarif: input(env, "sarif") || undefined,
    botLogin,
    stateKey: input(env, "state-key") || undefined,
  };
}
