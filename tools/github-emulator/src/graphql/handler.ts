/**
 * The emulator's GraphQL endpoint: every query is parsed and validated against GitHub's published
 * schema, then executed by resolvers over the same state the REST handlers use. Anything GitHub
 * would reject is answered with GraphQL errors and recorded as a violation; a field the emulator
 * does not implement is an error and an `unimplemented` violation, never a silent null.
 */
import {
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
} from "graphql";
import type { Links } from "../rest/shapes/index.js";
import type { GraphqlHandler, ViolationKind } from "../server.js";
import type { EmulatorState } from "../state/types.js";
import { organizationByLogin, userNode } from "./actors.js";
import type { ResolveContext } from "./context.js";
import { ResolverFailure } from "./errors.js";
import { nodeById } from "./node.js";
import { repositoryByName } from "./repository.js";
import { githubSchema } from "./schema.js";

export interface GraphqlHandlerOptions {
  readonly state: EmulatorState;
  readonly links: Links;
  /** Records a violation (the emulator's `violations`). */
  readonly report: (kind: ViolationKind, message: string) => void;
}

interface GraphqlBody {
  readonly query?: unknown;
  readonly variables?: unknown;
  readonly operationName?: unknown;
}

type Answer = { status: number; body: unknown };

const errorsOnly = (errors: readonly object[]): Answer => ({ status: 200, body: { errors } });

/** graphql-js's default resolver, except that a field the source lacks is a reported gap. */
const fieldResolver: GraphQLFieldResolver<unknown, ResolveContext> = (source, args, ctx, info) => {
  if (source !== null && typeof source === "object" && info.fieldName in source) {
    const value = (source as Record<string, unknown>)[info.fieldName];
    return typeof value === "function" ? value.call(source, args, ctx, info) : value;
  }
  throw new ResolverFailure(
    "EMULATOR_UNIMPLEMENTED",
    `The emulator does not implement ${info.parentType.name}.${info.fieldName}`,
    "unimplemented",
  );
};

function queryRoot(ctx: ResolveContext) {
  return {
    repository: ({ owner, name }: { owner: string; name: string }) =>
      repositoryByName(ctx, owner, name),
    organization: ({ login }: { login: string }) => organizationByLogin(ctx, login),
    node: ({ id }: { id: string }) => nodeById(ctx, id),
    viewer: () => (ctx.viewer ? userNode(ctx, ctx.viewer) : null),
    rateLimit: () => ({
      cost: 1,
      limit: 5000,
      remaining: 4999,
      used: 1,
      nodeCount: 1,
      resetAt: new Date(Date.now() + 3_600_000).toISOString(),
    }),
  };
}

/** GitHub's error shape: `type` (NOT_FOUND ...) beside `message`, `locations` and `path`. */
function githubError(error: GraphQLError): Record<string, unknown> {
  const failure = error.originalError instanceof ResolverFailure ? error.originalError : undefined;
  return {
    ...(failure ? { type: failure.type } : {}),
    message: error.message,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
}

export function createGraphqlHandler(options: GraphqlHandlerOptions): GraphqlHandler {
  const { report } = options;
  return async ({ body, actor, token }) => {
    const request = (body ?? {}) as GraphqlBody;
    if (typeof request.query !== "string") {
      const message = "A query attribute must be specified and must be a string.";
      report("invalid-body", `GraphQL: ${message}`);
      return errorsOnly([{ message }]);
    }
    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      const message = error instanceof GraphQLError ? error.message : String(error);
      report("invalid-body", `GraphQL: ${message}`);
      return errorsOnly([{ message }]);
    }
    const schema = await githubSchema();
    const invalid = validate(schema, document);
    if (invalid.length) {
      for (const problem of invalid) report("invalid-body", `GraphQL: ${problem.message}`);
      return errorsOnly(invalid.map(githubError));
    }
    const operationName = typeof request.operationName === "string" ? request.operationName : null;
    const operation = getOperationAST(document, operationName)?.operation;
    if (operation !== "query") {
      const message = `The emulator does not implement GraphQL ${operation ?? "operations"} (queries only)`;
      report("unimplemented", `GraphQL: ${message}`);
      return errorsOnly([{ message }]);
    }
    const ctx: ResolveContext = {
      state: options.state,
      links: options.links,
      viewer: actor,
      actionsToken: Boolean(token?.actionsRepo),
    };
    let result: ExecutionResult;
    try {
      result = await execute({
        schema,
        document,
        rootValue: queryRoot(ctx),
        contextValue: ctx,
        variableValues:
          request.variables && typeof request.variables === "object"
            ? (request.variables as Record<string, unknown>)
            : undefined,
        operationName,
        fieldResolver,
      });
    } catch (error) {
      const message = `emulator error in GraphQL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      report("emulator-error", message);
      return { status: 500, body: { message } };
    }
    const seen = new Set<string>();
    for (const error of result.errors ?? []) {
      const failure =
        error.originalError instanceof ResolverFailure ? error.originalError : undefined;
      // Variables that do not fit their declared types: the request is wrong, as with validation.
      const kind: ViolationKind | null = failure
        ? failure.record === "semantic"
          ? "semantic"
          : failure.record === "unimplemented"
            ? "unimplemented"
            : null
        : result.data === undefined
          ? "invalid-params"
          : "emulator-error";
      if (!kind || seen.has(error.message)) continue;
      seen.add(error.message);
      report(kind, `GraphQL: ${error.message}${error.path ? ` (at ${error.path.join(".")})` : ""}`);
    }
    return {
      status: 200,
      body: {
        ...(result.data !== undefined ? { data: result.data } : {}),
        ...(result.errors?.length ? { errors: result.errors.map(githubError) } : {}),
      },
    };
  };
}
