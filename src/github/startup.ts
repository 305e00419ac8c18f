// What `npm start` and the Docker image run (bin/changegate-app.js): check the environment, then
// start the App under Probot's `run`. Probot reads a bad PRIVATE_KEY as "no key", prints a stack
// trace and falls back to its setup flow; here the App refuses to start, with one line naming the
// variable. Without credentials it runs Probot's setup flow (docs/install.md): the App is
// registered from app.yml with its webhook on a new smee.io channel (Probot makes it with
// smee-client and writes WEBHOOK_PROXY_URL to .env), on WEBHOOK_PROXY_URL, or on the public URL
// given with --webhook-url.
import { createPrivateKey } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { parseArgs, parseEnv } from "node:util";
import { run, type Probot } from "probot";
import { SmeeClient } from "smee-client";

type Env = Record<string, string | undefined>;

/** A reason not to start, said on one line. */
export class StartupError extends Error {}

/** What `npm start` accepts after `--`. */
export interface StartArguments {
  /** Setup flow only: the public URL GitHub delivers webhooks to, instead of a smee.io channel. */
  webhookUrl?: string;
}

export function parseStartArguments(args: readonly string[]): StartArguments {
  let values: { "webhook-url"?: string };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { "webhook-url": { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new StartupError(
      `${(error as Error).message.split("\n")[0]} (npm start accepts only --webhook-url URL)`,
    );
  }
  const webhookUrl = values["webhook-url"];
  if (webhookUrl === undefined) return {};
  let url: URL | undefined;
  try {
    url = new URL(webhookUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:"))
    throw new StartupError(`--webhook-url is not an http(s) URL: "${webhookUrl}"`);
  return { webhookUrl };
}

const PEM_LABEL = /-----BEGIN ([A-Z0-9 ]+)-----/;
/** The PEM labels Probot accepts (@probot/get-private-key): PKCS #1 and PKCS #8. */
const PRIVATE_KEY_LABELS = new Set(["RSA PRIVATE KEY", "PRIVATE KEY"]);

/** The key's source, as Probot looks for it: PRIVATE_KEY, PRIVATE_KEY_PATH, or one *.pem in cwd. */
interface KeySource {
  /** How the message names it: `PRIVATE_KEY`, `PRIVATE_KEY_PATH (key.pem)`, `key.pem`. */
  name: string;
  text: string;
  /** The one .pem file of the folder, which Probot takes when no variable names a key. */
  foundIn?: string;
}

/**
 * The reason the App cannot start with this environment, in one line, or undefined when it can
 * (with credentials, or without any: Probot's setup flow). Never prints more of a key than its
 * first characters.
 */
export function environmentProblem(env: Env, cwd: string = process.cwd()): string | undefined {
  const appId = env.APP_ID?.trim() ?? "";
  let key: KeySource | undefined;
  try {
    key = keySource(env, cwd);
  } catch (error) {
    return (error as Error).message;
  }
  if (!appId && !key) {
    if (env.NODE_ENV === "production")
      return "APP_ID and PRIVATE_KEY are not set, and NODE_ENV=production has no setup flow: register the App first (docs/install.md)";
    return undefined;
  }
  if (!key)
    return "APP_ID is set but PRIVATE_KEY is not: set PRIVATE_KEY (or PRIVATE_KEY_PATH) to the App's private key";
  if (!appId && key.foundIn !== undefined)
    return `APP_ID is not set, but ${key.foundIn} holds a .pem file (${key.name}), which Probot takes as the App's key: set APP_ID to the App's id, or move the file away to run the setup flow`;
  if (!appId) return `${key.name} is set but APP_ID is not: set APP_ID to the App's id`;
  if (!/^[1-9]\d*$/.test(appId)) return `APP_ID is not a number: "${preview(appId)}"`;
  const keyProblem = privateKeyProblem(key);
  if (keyProblem) return keyProblem;
  if (!env.WEBHOOK_SECRET)
    return "WEBHOOK_SECRET is not set: set it to the App's webhook secret (docs/install.md)";
  return undefined;
}

function keySource(env: Env, cwd: string): KeySource | undefined {
  if (env.PRIVATE_KEY) return { name: "PRIVATE_KEY", text: env.PRIVATE_KEY };
  if (env.PRIVATE_KEY_PATH) {
    const name = `PRIVATE_KEY_PATH (${env.PRIVATE_KEY_PATH})`;
    return { name, text: readKeyFile(resolve(cwd, env.PRIVATE_KEY_PATH), name) };
  }
  const pemFiles = readdirSync(cwd).filter((file) => file.endsWith(".pem"));
  if (pemFiles.length > 1)
    throw new Error(
      `more than one .pem file in ${cwd} (${pemFiles.join(", ")}): set PRIVATE_KEY_PATH to the App's key`,
    );
  if (pemFiles.length === 1)
    return {
      name: pemFiles[0]!,
      text: readKeyFile(resolve(cwd, pemFiles[0]!), pemFiles[0]!),
      foundIn: cwd,
    };
  return undefined;
}

function readKeyFile(path: string, name: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT"
        ? `${name}: no such file`
        : `${name} cannot be read (${code ?? (error as Error).message})`,
      { cause: error },
    );
  }
}

/** The key as Probot reads it (base64 of a PEM, `\n` escapes, a PEM on one line), checked. */
function privateKeyProblem(key: KeySource): string | undefined {
  let text = key.text.trim();
  if (Buffer.from(text, "base64").toString("base64") === text)
    text = Buffer.from(text, "base64").toString();
  text = text.replace(/\\n/g, "\n");
  const label = PEM_LABEL.exec(text)?.[1];
  if (label === undefined)
    return `${key.name} is not a PEM private key (begins with "${preview(key.text)}")`;
  if (!PRIVATE_KEY_LABELS.has(label))
    return `${key.name} is a PEM "${label}", not a private key: use the .pem file GitHub generated for the App`;
  if (!text.includes(`-----END ${label}-----`))
    return `${key.name} is cut short: it has no "-----END ${label}-----" line`;
  if (!text.includes("\n")) text = withLineBreaks(text, label);
  let type: string | undefined;
  try {
    type = createPrivateKey(text).asymmetricKeyType;
  } catch {
    return `${key.name} is a "${label}" block that does not decode: it is cut short or altered`;
  }
  if (type !== "rsa")
    return `${key.name} is ${type === undefined ? "not an RSA key" : `an ${type.toUpperCase()} key`}: a GitHub App's key is RSA`;
  return undefined;
}

/** A PEM pasted on one line, spaces for line breaks (as @probot/get-private-key accepts it). */
function withLineBreaks(text: string, label: string): string {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const body = text.slice(text.indexOf(begin) + begin.length, text.indexOf(end)).trim();
  return `${begin}\n${body.replace(/\s+/g, "\n")}\n${end}\n`;
}

/** The first characters of a value, enough to recognise it, too few to leak a key. */
function preview(value: string): string {
  const chars = [...value.trim()];
  const shown = JSON.stringify(chars.slice(0, 8).join("")).slice(1, -1);
  return chars.length > 8 ? `${shown}…` : shown;
}

/** `.env` in cwd over the environment, as Probot's `run` applies it. */
function applyDotEnv(env: Env, cwd: string = process.cwd()): void {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, ".env"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new StartupError(`.env cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  Object.assign(env, parseEnv(text));
}

/**
 * PRIVATE_KEY without the quotes Probot's setup flow writes around it in .env
 * (`PRIVATE_KEY="-----BEGIN …\n…"`): `docker run --env-file .env` passes them on as part of the
 * value (https://github.com/docker/cli/issues/3630), and neither Node nor Probot reads a key that
 * begins with a quote.
 */
function unquotePrivateKey(env: Env): void {
  const match = /^\s*(["'])([\s\S]*)\1\s*$/.exec(env.PRIVATE_KEY ?? "");
  if (match) env.PRIVATE_KEY = match[2];
}

/**
 * The port Probot will listen on, checked free first: Probot would print the error twice with its
 * stack (and its setup flow would first make a smee.io channel for nothing).
 */
async function portProblem(env: Env): Promise<string | undefined> {
  const port = Number(env.PORT) || 3000; // as Probot reads PORT and HOST
  const host = env.HOST || "localhost";
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once("error", reject);
      probe.listen(port, host, resolve);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      return `port ${port} on ${host} is in use: stop what listens there, or set PORT to a free port`;
    if (code === "EACCES") return `port ${port} on ${host} needs privileges: set PORT above 1023`;
    if (code === "EADDRNOTAVAIL")
      return `HOST=${host} is not an address of this machine: set HOST (0.0.0.0: all interfaces)`;
    if (code === "ENOTFOUND")
      return `HOST=${host} is not a host name this machine resolves: set HOST (0.0.0.0: all interfaces)`;
    return undefined; // Probot will say what it is
  }
  await new Promise((resolve) => probe.close(resolve));
  return undefined;
}

export interface StartOptions extends StartArguments {
  /** Probot's smee.io client (tests pass one that makes no request). */
  SmeeClient?: { createChannel: () => Promise<string | undefined> };
  /** Where the setup flow writes what it learns (tests keep .env untouched). */
  updateEnv?: (values: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  /** Lines for the operator (stderr by default). */
  say?: (line: string) => void;
}

/**
 * Starts the App (or Probot's setup flow) after the environment check. Reads and changes
 * process.env: Probot reads it. Throws StartupError for a problem worth one line.
 */
export async function startChangegate(
  appFn: (app: Probot) => Promise<void> | void,
  options: StartOptions = {},
): Promise<Awaited<ReturnType<typeof run>>> {
  const env = process.env;
  const cwd = process.cwd();
  const say = options.say ?? ((line: string) => console.error(line));
  applyDotEnv(env, cwd);
  unquotePrivateKey(env);
  const problem = environmentProblem(env, cwd);
  if (problem) throw new StartupError(problem);
  const busy = await portProblem(env);
  if (busy) throw new StartupError(busy);
  // Whether Probot runs its setup flow rather than the App: past environmentProblem, a missing
  // APP_ID means no key either (an APP_ID without a key, or a key without it, was refused there).
  const setup = !env.APP_ID?.trim();
  // What Probot's server reads. During setup it forwards nothing from WEBHOOK_PROXY_URL: the
  // forwarding starts with the App, after the restart (and --webhook-url is no channel at all).
  const serverEnv: Env = { ...env };
  if (setup) delete serverEnv.WEBHOOK_PROXY_URL;
  if (options.webhookUrl !== undefined) {
    if (!setup) {
      say(
        "changegate: --webhook-url is used only to register the App, and APP_ID is set: change the webhook URL in the App's settings on GitHub",
      );
    } else {
      if (env.WEBHOOK_PROXY_URL)
        throw new StartupError(
          `--webhook-url and WEBHOOK_PROXY_URL (${env.WEBHOOK_PROXY_URL}) are both set: give one`,
        );
      // Probot's manifest takes its hook URL from WEBHOOK_PROXY_URL, and its setup flow makes no
      // smee.io channel when it is set.
      env.WEBHOOK_PROXY_URL = options.webhookUrl;
    }
  }
  const server = await run(appFn, {
    env: serverEnv,
    SmeeClient: options.SmeeClient ?? SmeeClient,
    ...(options.updateEnv && { updateEnv: options.updateEnv }),
  });
  if (setup) {
    const hook = env.WEBHOOK_PROXY_URL;
    say(
      hook
        ? `changegate: setup: the App will be registered with its webhook at ${hook}${hook === options.webhookUrl ? "" : " (a smee.io channel that forwards to this process while it runs)"}`
        : "changegate: setup: no smee.io channel could be made, so GitHub could not reach this process: restart with WEBHOOK_PROXY_URL or --webhook-url URL (docs/install.md)",
    );
  }
  return server;
}

/** bin/changegate-app.js: one line and exit code 1 for a startup problem. */
export async function main(
  appFn: (app: Probot) => Promise<void> | void,
  args: readonly string[],
): Promise<void> {
  try {
    await startChangegate(appFn, parseStartArguments(args));
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    console.error(`changegate: ${error.message}`);
    process.exitCode = 1;
  }
}
