/**
 * GitHub's public GraphQL schema (@octokit/graphql-schema), loaded on the first query and built
 * once per process. Built from the introspection JSON rather than the SDL: the published SDL
 * defines `EnterpriseOwnerInfo.repositoryDeployKeySetting` twice, which `buildSchema` rejects
 * unless told to skip validation, and the JSON builds about three times faster (~0.25 s).
 * Imported lazily: the package parses its 5 MB JSON on import, and most emulator users send no
 * GraphQL.
 */
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

let built: Promise<GraphQLSchema> | undefined;

export function githubSchema(): Promise<GraphQLSchema> {
  built ??= import("@octokit/graphql-schema").then(({ schema }) =>
    buildClientSchema(schema.json as unknown as IntrospectionQuery),
  );
  return built;
}
