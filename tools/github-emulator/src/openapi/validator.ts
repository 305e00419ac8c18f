/**
 * Validates requests (path/query parameters and JSON bodies) and, optionally,
 * responses against the operation's schemas in GitHub's REST description.
 *
 * The description is OpenAPI 3.0 (`nullable`), so its schemas are converted to
 * plain JSON Schema once, registered with Ajv (the Ajv 8 that openapi-backend
 * brings, obtained through its public `OpenAPIValidator.getAjv`), and each
 * operation's validators are compiled lazily on first use and cached.
 * `oneOf` is relaxed to `anyOf`: several of GitHub's unions overlap.
 */
import { OpenAPIValidator, ValidationContext } from "openapi-backend";
import {
  loadSpec,
  resolvePointer,
  type JsonSchema,
  type OpenApiSpec,
  type Operation,
  type ParameterObject,
} from "./spec.js";

// Ajv's types are taken from openapi-backend's own Ajv 8 (the hoisted `ajv` may be another major).
type Ajv = ReturnType<OpenAPIValidator["getAjv"]>;
type ValidateFunction = ReturnType<Ajv["compile"]>;
type ErrorObject = NonNullable<ValidateFunction["errors"]>[number];

const SPEC_ID = "https://emulator.invalid/api.github.com.json";
const ANNOTATIONS = new Set([
  "example",
  "examples",
  "description",
  "title",
  "discriminator",
  "externalDocs",
  "deprecated",
  "readOnly",
  "writeOnly",
  "xml",
]);

export interface ValidationIssue {
  location: "path" | "query" | "body" | "response";
  message: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** OpenAPI 3.0 schema -> JSON Schema (nullable, $ref rewriting, oneOf relaxed). */
export function toJsonSchema(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  if (typeof schema.$ref === "string") {
    const ref = schema.$ref.startsWith("#/") ? `${SPEC_ID}${schema.$ref}` : schema.$ref;
    return schema.nullable === true ? { anyOf: [{ $ref: ref }, { type: "null" }] } : { $ref: ref };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith("x-") || key === "nullable") continue;
    if (key === "properties" || key === "patternProperties") {
      out[key] = Object.fromEntries(
        Object.entries(value as object).map(([k, v]) => [k, toJsonSchema(v)]),
      );
    } else if (key === "items" || key === "additionalProperties" || key === "not") {
      out[key] = toJsonSchema(value);
    } else if (key === "allOf" || key === "anyOf" || key === "oneOf") {
      out[key === "oneOf" ? "anyOf" : key] = (value as unknown[]).map(toJsonSchema);
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable === true) {
    if (typeof out.type === "string") {
      out.type = [out.type, "null"];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: "null" }] };
  }
  return out;
}

function createAjv(spec: OpenApiSpec): Ajv {
  const factory = new OpenAPIValidator({
    definition: { openapi: "3.0.3", info: { title: "emulator", version: "1" }, paths: {} },
    lazyCompileValidators: true,
    ajvOpts: { strict: false, logger: false, allErrors: true },
  });
  const ajv = factory.getAjv(ValidationContext.RequestBody);
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i);
  ajv.addFormat("uri", (value: string) => URL.canParse(value));
  ajv.addFormat("email", /^[^\s@]+@[^\s@]+$/);
  const schemas = Object.fromEntries(
    Object.entries(spec.components.schemas).map(([k, v]) => [k, toJsonSchema(v)]),
  );
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } });
  return ajv;
}

/** Turns query/path strings into the types their schemas declare. */
export function coerce(value: unknown, schema: JsonSchema | undefined): unknown {
  if (typeof value !== "string" || !schema) return value;
  const type = schema.type;
  if (type === "integer" || type === "number") {
    return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  if (type === "boolean") return value === "true" ? true : value === "false" ? false : value;
  if (type === "array") {
    const items = isObject(schema.items) ? (schema.items as JsonSchema) : undefined;
    return value.split(",").map((v) => coerce(v, items));
  }
  return value;
}

function describe(errors: ErrorObject[] | null | undefined, prefix: string): string[] {
  return (errors ?? []).map((e) => {
    const where = `${prefix}${e.instancePath}`;
    const extra =
      e.params && "allowedValues" in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : "";
    return `${where || prefix || "/"} ${e.message ?? "is invalid"}${extra}`;
  });
}

export interface ParsedParams {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  unknownQuery: string[];
}

export class RequestValidator {
  private ajv: Ajv | undefined;
  private readonly paramValidators = new Map<string, ValidateFunction>();
  private readonly bodyValidators = new Map<string, ValidateFunction | null>();
  private readonly responseValidators = new Map<string, ValidateFunction | null>();
  private readonly webhookValidators = new Map<string, ValidateFunction>();

  constructor(private readonly spec: OpenApiSpec = loadSpec()) {}

  private get instance(): Ajv {
    return (this.ajv ??= createAjv(this.spec));
  }

  /** Coerces path and query parameters; returns them with the problems found. */
  parameters(
    operation: Operation,
    rawPath: Record<string, string>,
    rawQuery: Record<string, string>,
  ): { parsed: ParsedParams; issues: ValidationIssue[] } {
    const path: Record<string, unknown> = {};
    const query: Record<string, unknown> = {};
    const declared = new Map<string, ParameterObject>();
    for (const p of operation.parameters) declared.set(`${p.in}:${p.name}`, p);
    for (const [name, value] of Object.entries(rawPath))
      path[name] = coerce(value, declared.get(`path:${name}`)?.schema);
    const unknownQuery: string[] = [];
    for (const [name, value] of Object.entries(rawQuery)) {
      const param = declared.get(`query:${name}`);
      if (!param) unknownQuery.push(name);
      query[name] = coerce(value, param?.schema);
    }
    const validate = this.paramValidator(operation);
    const issues: ValidationIssue[] = [];
    if (!validate({ path, query })) {
      for (const e of validate.errors ?? []) {
        const location = e.instancePath.startsWith("/path") ? "path" : "query";
        issues.push({ location, message: describe([e], "")[0] as string });
      }
    }
    return { parsed: { path, query, unknownQuery }, issues };
  }

  /** Validates a JSON body; `undefined` means no body was sent. */
  body(operation: Operation, body: unknown): ValidationIssue[] {
    const requestBody = operation.raw.requestBody;
    if (!requestBody?.content) return [];
    if (body === undefined) {
      return requestBody.required ? [{ location: "body", message: "a JSON body is required" }] : [];
    }
    const validate = this.bodyValidator(operation);
    if (!validate || validate(body)) return [];
    return describe(validate.errors, "body").map((message) => ({ location: "body", message }));
  }

  /** Validates a response body against the documented schema for its status. */
  response(operation: Operation, status: number, body: unknown): ValidationIssue[] {
    const validate = this.responseValidator(operation, status);
    if (!validate || validate(body)) return [];
    return describe(validate.errors, "response").map((message) => ({
      location: "response",
      message,
    }));
  }

  /**
   * Validates a webhook payload against the description's `x-webhooks` schema named `key`
   * (`workflow-run-completed`, `repository-dispatch-sample.collected`); unknown keys are an issue.
   */
  webhook(key: string, payload: unknown): ValidationIssue[] {
    let validate = this.webhookValidators.get(key);
    if (!validate) {
      const schema =
        this.spec["x-webhooks"]?.[key]?.post?.requestBody?.content?.["application/json"]?.schema;
      if (!schema) return [{ location: "body", message: `no webhook ${key} in the description` }];
      validate = this.instance.compile(toJsonSchema(schema) as object);
      this.webhookValidators.set(key, validate);
    }
    if (validate(payload)) return [];
    return describe(validate.errors, "payload").map((message) => ({ location: "body", message }));
  }

  private paramValidator(operation: Operation): ValidateFunction {
    let validate = this.paramValidators.get(operation.operationId);
    if (!validate) {
      const group = (where: "path" | "query") => {
        const params = operation.parameters.filter((p) => p.in === where);
        return {
          type: "object",
          properties: Object.fromEntries(params.map((p) => [p.name, toJsonSchema(p.schema ?? {})])),
          required: params.filter((p) => p.required).map((p) => p.name),
        };
      };
      validate = this.instance.compile({
        type: "object",
        properties: { path: group("path"), query: group("query") },
      });
      this.paramValidators.set(operation.operationId, validate);
    }
    return validate;
  }

  private bodyValidator(operation: Operation): ValidateFunction | null {
    if (!this.bodyValidators.has(operation.operationId)) {
      const schema = operation.raw.requestBody?.content?.["application/json"]?.schema;
      this.bodyValidators.set(
        operation.operationId,
        schema ? this.instance.compile(toJsonSchema(schema) as object) : null,
      );
    }
    return this.bodyValidators.get(operation.operationId) ?? null;
  }

  private responseValidator(operation: Operation, status: number): ValidateFunction | null {
    const key = `${operation.operationId} ${status}`;
    if (!this.responseValidators.has(key)) {
      let response = operation.raw.responses?.[String(status)] as
        Record<string, unknown> | undefined;
      if (response && typeof response.$ref === "string")
        response = resolvePointer(this.spec, response.$ref);
      const content = response?.content as Record<string, { schema?: unknown }> | undefined;
      const schema = content?.["application/json"]?.schema;
      this.responseValidators.set(
        key,
        schema ? this.instance.compile(toJsonSchema(schema) as object) : null,
      );
    }
    return this.responseValidators.get(key) ?? null;
  }
}

let shared: RequestValidator | undefined;

/** One validator per process: compiled validators are reused by every emulator. */
export function sharedValidator(): RequestValidator {
  return (shared ??= new RequestValidator());
}
