/**
 * Loads GitHub's official REST description (@octokit/openapi, api.github.com)
 * once per process and gives typed access to its operations.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export type JsonSchema = Record<string, unknown>;

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: JsonSchema;
  "x-multi-segment"?: boolean;
}

export interface OperationObject {
  operationId: string;
  parameters?: Array<ParameterObject | { $ref: string }>;
  requestBody?: {
    required?: boolean;
    content?: Record<string, { schema?: JsonSchema }>;
  };
  responses?: Record<string, unknown>;
}

export interface OpenApiSpec {
  paths: Record<string, Record<string, unknown>>;
  /** Webhook payloads by `<event>-<action>` (`workflow-run-completed`), each a `post` request body. */
  "x-webhooks"?: Record<
    string,
    { post?: { requestBody?: { content?: Record<string, { schema?: unknown }> } } }
  >;
  components: {
    schemas: Record<string, JsonSchema>;
    parameters: Record<string, ParameterObject>;
    responses: Record<string, unknown>;
    headers: Record<string, unknown>;
  };
}

/** One operation of the description, with its parameters resolved. */
export interface Operation {
  operationId: string;
  method: string;
  pathTemplate: string;
  parameters: ParameterObject[];
  raw: OperationObject;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head"] as const;

let cachedSpec: OpenApiSpec | undefined;

/** The parsed description (about 13 MB of JSON, parsed once per process). */
export function loadSpec(): OpenApiSpec {
  if (!cachedSpec) {
    const require = createRequire(import.meta.url);
    const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
    cachedSpec = JSON.parse(readFileSync(file, "utf8")) as OpenApiSpec;
  }
  return cachedSpec;
}

/** Resolves a local `#/components/...` JSON pointer. */
export function resolvePointer<T>(spec: OpenApiSpec, ref: string): T {
  if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}`);
  let node: unknown = spec;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = (node as Record<string, unknown>)[key];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  }
  return node as T;
}

let cachedOperations: Operation[] | undefined;

/** Every operation of the description, parameters resolved (path-level ones merged in). */
export function listOperations(spec: OpenApiSpec = loadSpec()): Operation[] {
  if (cachedOperations && spec === cachedSpec) return cachedOperations;
  const operations: Operation[] = [];
  for (const [pathTemplate, item] of Object.entries(spec.paths)) {
    const shared = (item.parameters ?? []) as OperationObject["parameters"];
    for (const method of HTTP_METHODS) {
      const raw = item[method] as OperationObject | undefined;
      if (!raw?.operationId) continue;
      const byKey = new Map<string, ParameterObject>();
      for (const p of [...(shared ?? []), ...(raw.parameters ?? [])]) {
        const param = "$ref" in p ? resolvePointer<ParameterObject>(spec, p.$ref) : p;
        byKey.set(`${param.in}:${param.name}`, param);
      }
      operations.push({
        operationId: raw.operationId,
        method,
        pathTemplate,
        parameters: [...byKey.values()],
        raw,
      });
    }
  }
  if (spec === cachedSpec) cachedOperations = operations;
  return operations;
}
