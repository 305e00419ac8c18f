/**
 * Webhook payloads built on GitHub's real examples (@octokit/webhooks-examples):
 * the example for the event/action is the template, and every field the
 * emulator knows (repository, sender, installation, pull request, review,
 * comment, label, check run, changes ...) is overwritten from the state.
 */
import { createRequire } from "node:module";

type Json = Record<string, unknown>;

interface WebhookDefinition {
  name: string;
  actions: string[];
  examples: Json[];
}

let examples: Map<string, Json[]> | undefined;

function load(): Map<string, Json[]> {
  if (!examples) {
    const require = createRequire(import.meta.url);
    const definitions =
      require("@octokit/webhooks-examples/api.github.com/index.json") as WebhookDefinition[];
    examples = new Map(definitions.map((d) => [d.name, d.examples]));
  }
  return examples;
}

/** The example payload for an event and action (a deep copy), or undefined. */
export function exampleFor(event: string, action?: string): Json | undefined {
  const list = load().get(event) ?? [];
  const candidates = action ? list.filter((e) => e.action === action) : list;
  // Prefer the richest example (one that names an installation, then the most keys).
  const best = [...candidates].sort(
    (a, b) =>
      Number("installation" in b) - Number("installation" in a) ||
      Object.keys(b).length - Object.keys(a).length,
  )[0];
  return best ? structuredClone(best) : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface PayloadContext {
  repository: Json;
  sender: Json;
  installationId: number | null;
  /** `organization-simple` when the repository belongs to an organization. */
  organization?: Json;
}

/**
 * Template + fields. Objects present in both are merged one level deep (the
 * state's values win), so the App sees every key of the real payload.
 * Events without an example for the action use another example of the same
 * event (e.g. `pull_request.edited` uses `opened`).
 */
export function buildPayload(
  event: string,
  action: string | undefined,
  fields: Json,
  context: PayloadContext,
): Json {
  const template = exampleFor(event, action) ?? exampleFor(event) ?? {};
  const payload: Json = { ...template };
  if (action) payload.action = action;
  for (const [key, value] of Object.entries(fields)) {
    const base = payload[key];
    payload[key] = isObject(base) && isObject(value) ? { ...base, ...value } : value;
  }
  payload.repository = isObject(payload.repository)
    ? { ...payload.repository, ...context.repository }
    : context.repository;
  payload.sender = context.sender;
  if (context.installationId !== null)
    payload.installation = {
      id: context.installationId,
      node_id: Buffer.from(`Installation${context.installationId}`).toString("base64"),
    };
  else delete payload.installation;
  if (context.organization) payload.organization = context.organization;
  else delete payload.organization;
  delete payload.enterprise;
  return payload;
}
