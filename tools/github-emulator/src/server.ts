/**
 * The HTTP pipeline: route by GitHub's REST description, inject faults,
 * validate parameters and bodies, authenticate, run the handler, record the
 * request (and any violation), answer like GitHub.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Faults, faultResponse } from "./faults.js";
import type { Router } from "./openapi/router.js";
import type { RequestValidator } from "./openapi/validator.js";
import { APP_OPERATIONS, PUBLIC_OPERATIONS, handlers } from "./rest/index.js";
import type { RestResponse, RestServices } from "./rest/context.js";
import type { Shapes } from "./rest/shapes/index.js";
import { findRepo, HttpError, NOT_ACCESSIBLE } from "./state/store.js";
import type { EmulatorState, TokenInfo } from "./state/types.js";

export interface RecordedRequest {
  method: string;
  /** Path without the `/api/v3` prefix and without the query string. */
  path: string;
  operationId: string | null;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** Login the request acted as. */
  actor: string | null;
  /** True when an injected fault answered it. */
  fault?: boolean;
  /** `performance.now()` when the request arrived and when it was answered (round-trip counting). */
  receivedAt?: number;
  answeredAt?: number;
}

export type ViolationKind =
  | "unknown-route"
  | "unimplemented"
  | "invalid-json"
  | "invalid-params"
  | "unknown-query-param"
  | "invalid-body"
  | "semantic"
  | "auth"
  | "response-schema"
  | "emulator-error";

export interface Violation {
  kind: ViolationKind;
  method: string;
  path: string;
  operationId: string | null;
  status: number;
  message: string;
}

export interface GraphqlRequest {
  body: unknown;
  headers: IncomingMessage["headers"];
  actor: string | null;
  /** The token the request came with (undefined for an unknown one or none). */
  token?: TokenInfo;
}

export type GraphqlHandler = (
  request: GraphqlRequest,
) => Promise<{ status: number; body: unknown }> | { status: number; body: unknown };

export interface PipelineOptions {
  state: EmulatorState;
  shapes: Shapes;
  router: Router;
  validator: RequestValidator;
  faults: Faults;
  services: RestServices;
  validateResponses: boolean;
  /** The REST base URL (`http://127.0.0.1:PORT/api/v3`). */
  apiBase: () => string;
}

const DOCS = "https://docs.github.com/rest";
const API_PREFIX = "/api/v3";
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * Conditional GETs as GitHub answers them: a JSON 200 carries an `etag` (a digest of the body);
 * a request whose `if-none-match` names the current one gets 304 and no body. GitHub does not
 * count such a 304 against the rate limit
 * (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate).
 */
function conditional(
  method: string,
  ifNoneMatch: string | string[] | undefined,
  response: RestResponse,
): RestResponse {
  if (method !== "GET" || response.status !== 200 || response.body === undefined) return response;
  if (response.text !== undefined) return response;
  const etag = `W/"${createHash("sha1").update(JSON.stringify(response.body)).digest("hex")}"`;
  const asked = [ifNoneMatch ?? []].flat().flatMap((value) => value.split(/\s*,\s*/));
  if (asked.includes(etag)) return { status: 304, headers: { ...response.headers, etag } };
  return { ...response, headers: { ...response.headers, etag } };
}

function errorBody(status: number, message: string, errors?: unknown[]): Record<string, unknown> {
  return {
    message,
    ...(errors ? { errors } : {}),
    documentation_url: DOCS,
    status: String(status),
  };
}

type Auth = { kind: "jwt" } | { kind: "token"; token: string } | { kind: "none" };

function authOf(req: IncomingMessage): Auth {
  const header = req.headers.authorization;
  if (!header) return { kind: "none" };
  const credential = header.replace(/^(bearer|token)\s+/i, "").trim();
  return JWT.test(credential) ? { kind: "jwt" } : { kind: "token", token: credential };
}

/**
 * A workflow's GITHUB_TOKEN is for one repository: another private one is invisible (404), and
 * another public one is read-only (403 on writes), as GitHub answers.
 */
function outsideActionsRepo(
  state: EmulatorState,
  token: TokenInfo | undefined,
  method: string,
  params: Record<string, unknown>,
): { status: number; message: string } | null {
  if (!token?.actionsRepo || typeof params.owner !== "string" || typeof params.repo !== "string")
    return null;
  if (`${params.owner}/${params.repo}`.toLowerCase() === token.actionsRepo) return null;
  const repo = findRepo(state, params.owner, params.repo);
  if (!repo || repo.private) return { status: 404, message: "Not Found" };
  return method === "GET" || method === "HEAD" ? null : { status: 403, message: NOT_ACCESSIBLE };
}

export class Pipeline {
  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];
  graphqlHandler: GraphqlHandler | undefined;

  constructor(private readonly options: PipelineOptions) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const rawPath =
      url.pathname.startsWith(`${API_PREFIX}/`) || url.pathname === API_PREFIX
        ? url.pathname.slice(API_PREFIX.length) || "/"
        : url.pathname;
    let path = rawPath;
    try {
      path = decodeURI(rawPath);
    } catch {
      path = rawPath;
    }
    const query = Object.fromEntries(url.searchParams);
    const rawBody = await readBody(req);
    const auth = authOf(req);
    const record: RecordedRequest = {
      method,
      path,
      operationId: null,
      query,
      body: rawBody === "" ? undefined : rawBody,
      status: 0,
      actor: null,
      receivedAt,
    };
    const violate = (kind: ViolationKind, status: number, message: string) => {
      this.violations.push({
        kind,
        method,
        path,
        operationId: record.operationId,
        status,
        message,
      });
    };

    const send = (given: RestResponse) => {
      const response = conditional(method, req.headers["if-none-match"], given);
      record.status = response.status;
      record.answeredAt = performance.now();
      this.requests.push(record);
      const headers: Record<string, string> = {
        "x-github-media-type": "github.v3; format=json",
        "x-github-api-version-selected": "2022-11-28",
        "x-github-request-id": `EMU:${this.requests.length}`,
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4999",
        "x-ratelimit-used": "1",
        "x-ratelimit-resource": "core",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
        ...(response.headers ?? {}),
      };
      if (response.text !== undefined) {
        res.writeHead(response.status, { ...headers, "content-type": "text/plain; charset=utf-8" });
        res.end(response.text);
      } else if (response.body === undefined || response.status === 204) {
        res.writeHead(response.status, headers);
        res.end();
      } else {
        res.writeHead(response.status, {
          ...headers,
          "content-type": "application/json; charset=utf-8",
        });
        res.end(JSON.stringify(response.body));
      }
    };
    const fail = (
      kind: ViolationKind | null,
      status: number,
      message: string,
      errors?: unknown[],
    ) => {
      if (kind) violate(kind, status, message);
      send({ status, body: errorBody(status, message, errors) });
    };

    if (method === "POST" && (path === "/graphql" || url.pathname === "/api/graphql")) {
      record.operationId = "graphql";
      return this.graphql(rawBody, req, auth, record, send);
    }

    const match = this.options.router.match(method, rawPath);
    record.operationId = match?.operation.operationId ?? null;

    const fault = this.options.faults.take(method, path, record.operationId);
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      const injected = faultResponse(fault);
      if (injected) {
        record.fault = true;
        return send(injected);
      }
    }

    if (!match)
      return fail(
        "unknown-route",
        404,
        `Not Found: no ${method} ${path} in GitHub's REST API description`,
      );
    const operation = match.operation;

    let body: unknown;
    if (rawBody.trim() !== "") {
      try {
        body = JSON.parse(rawBody);
        record.body = body;
      } catch {
        return fail("invalid-json", 400, "Problems parsing JSON");
      }
    }

    const { parsed, issues } = this.options.validator.parameters(operation, match.params, query);
    for (const name of parsed.unknownQuery)
      violate(
        "unknown-query-param",
        0,
        `query parameter "${name}" is not in ${operation.operationId}'s description (GitHub ignores it)`,
      );
    const pathIssue = issues.find((i) => i.location === "path");
    if (pathIssue) return fail("invalid-params", 404, `Not Found (${pathIssue.message})`);
    if (issues.length)
      return fail(
        "invalid-params",
        422,
        `Invalid request.\n\n${issues.map((i) => i.message).join("\n")}`,
      );
    const bodyIssues = this.options.validator.body(operation, body);
    if (bodyIssues.length)
      return fail(
        "invalid-body",
        422,
        `Invalid request.\n\n${bodyIssues.map((i) => i.message).join("\n")}`,
      );

    let token: TokenInfo | undefined;
    const needsJwt = APP_OPERATIONS.has(operation.operationId);
    const isPublic = PUBLIC_OPERATIONS.has(operation.operationId);
    if (needsJwt && auth.kind !== "jwt")
      return fail("auth", 401, "A JSON web token could not be decoded");
    if (!needsJwt && !isPublic && auth.kind === "jwt")
      return fail(
        "auth",
        401,
        `${operation.operationId} needs an installation token, not the App's JWT`,
      );
    if (auth.kind === "token") token = this.options.state.tokens.get(auth.token);
    if (!needsJwt && auth.kind === "none" && method !== "GET")
      return fail("auth", 401, "Requires authentication");
    const actor =
      needsJwt || auth.kind === "jwt"
        ? null
        : (token?.login ?? (auth.kind === "token" ? this.options.state.app.botLogin : null));
    record.actor = actor;
    const denied = outsideActionsRepo(this.options.state, token, method, parsed.path);
    if (denied) return fail(null, denied.status, denied.message);

    const handler = handlers[operation.operationId];
    if (!handler)
      return fail(
        "unimplemented",
        501,
        `The emulator does not implement ${operation.operationId} (${method} ${operation.pathTemplate})`,
      );

    let response: RestResponse;
    try {
      const apiUrl = new URL(`${this.options.apiBase()}${rawPath}${url.search}`);
      response = await handler({
        state: this.options.state,
        shapes: this.options.shapes,
        operationId: operation.operationId,
        params: parsed.path,
        query: parsed.query,
        body,
        headers: req.headers,
        actor: actor ?? "ghost",
        token,
        url: apiUrl,
        services: this.options.services,
      });
    } catch (error) {
      if (error instanceof HttpError)
        return fail(
          error.status === 422 ? "semantic" : null,
          error.status,
          error.message,
          error.errors,
        );
      return fail(
        "emulator-error",
        500,
        `emulator error in ${operation.operationId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
    if (
      this.options.validateResponses &&
      response.body !== undefined &&
      response.text === undefined
    ) {
      const problems = this.options.validator.response(operation, response.status, response.body);
      for (const p of problems.slice(0, 5)) violate("response-schema", response.status, p.message);
    }
    send(response);
  }

  private async graphql(
    rawBody: string,
    req: IncomingMessage,
    auth: Auth,
    record: RecordedRequest,
    send: (r: RestResponse) => void,
  ): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
      record.body = body;
    } catch {
      this.violations.push({
        kind: "invalid-json",
        method: "POST",
        path: record.path,
        operationId: "graphql",
        status: 400,
        message: "Problems parsing JSON",
      });
      return send({ status: 400, body: errorBody(400, "Problems parsing JSON") });
    }
    const token = auth.kind === "token" ? this.options.state.tokens.get(auth.token) : undefined;
    const actor = auth.kind === "token" ? (token?.login ?? this.options.state.app.botLogin) : null;
    record.actor = actor;
    const fault = this.options.faults.take("POST", record.path, "graphql");
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      const injected = faultResponse(fault);
      if (injected) {
        record.fault = true;
        return send(injected);
      }
    }
    if (!this.graphqlHandler) {
      this.violations.push({
        kind: "unimplemented",
        method: "POST",
        path: record.path,
        operationId: "graphql",
        status: 501,
        message: "GraphQL is not implemented by the emulator yet",
      });
      return send({
        status: 501,
        body: errorBody(
          501,
          "The emulator does not implement the GraphQL API yet (POST /graphql); use REST or set emulator.graphqlHandler",
        ),
      });
    }
    const result = await this.graphqlHandler({
      body,
      headers: req.headers,
      actor,
      ...(token ? { token } : {}),
    });
    send({ status: result.status, body: result.body });
  }
}
