/** Running a GraphQL query with GitHub's partial answers: data and errors side by side. */
import type { GitHubClient } from "../../client.js";

export interface GraphqlProblem {
  readonly message: string;
  /** GitHub's error type: NOT_FOUND, FORBIDDEN ... */
  readonly type?: string;
  readonly path?: readonly (string | number)[];
}

export interface GraphqlAnswer<T> {
  readonly data: T | null;
  readonly errors: readonly GraphqlProblem[];
}

/**
 * Octokit throws a GraphqlResponseError as soon as the answer has errors, with the partial data
 * attached; a missing team or a field the token may not read must not lose the rest. HTTP
 * failures still throw.
 */
export async function runGraphql<T>(
  client: GitHubClient,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphqlAnswer<T>> {
  try {
    return { data: await client.graphql<T>(query, variables), errors: [] };
  } catch (error) {
    const answer = error as { name?: unknown; data?: T | null; errors?: GraphqlProblem[] };
    if (answer?.name !== "GraphqlResponseError") throw error;
    return { data: answer.data ?? null, errors: answer.errors ?? [] };
  }
}

/** The errors at or below a path of the answer (`["repository", "f3"]`). */
export function errorsAt(
  errors: readonly GraphqlProblem[],
  ...path: readonly (string | number)[]
): GraphqlProblem[] {
  return errors.filter((error) => path.every((part, index) => error.path?.[index] === part));
}

/** An Actor as the snapshot names it: REST's login (`name[bot]` for an App's bot). */
export interface Account {
  readonly login: string;
  readonly type: "User" | "Bot" | "Organization";
}

export interface ActorAnswer {
  readonly __typename: string;
  readonly login: string;
}

/** GitHub's GraphQL names a bot `renovate`, its REST API `renovate[bot]`: the snapshot uses REST's. */
export function accountOf(actor: ActorAnswer | null | undefined): Account | null {
  if (!actor) return null;
  if (actor.__typename === "Bot")
    return {
      login: actor.login.endsWith("[bot]") ? actor.login : `${actor.login}[bot]`,
      type: "Bot",
    };
  return {
    login: actor.login,
    type: actor.__typename === "Organization" ? "Organization" : "User",
  };
}

/** What a `Blob` selection answers for a file: its text, no such file, or text GraphQL withholds. */
export type BlobAnswer =
  | { readonly kind: "text"; readonly text: string; readonly oid: string }
  | { readonly kind: "absent" }
  /** Binary, truncated or not clearly UTF-8: REST's contents API reads it (as the REST loader does). */
  | { readonly kind: "unreadable" };

export interface BlobFields {
  readonly oid?: string;
  readonly text?: string | null;
  readonly isBinary?: boolean | null;
  readonly isTruncated?: boolean;
}

/** The selection every file read uses, on a `GitObject` (`object(expression:)`, `TreeEntry.object`). */
export const BLOB_FRAGMENT = `fragment BlobText on GitObject { ... on Blob { oid text isBinary isTruncated } }`;

/**
 * A directory's entries with each file's size and text, on a `GitObject` (`object(expression:
 * "oid:dir")`): https://docs.github.com/en/graphql/reference/objects#tree (`entries`),
 * https://docs.github.com/en/graphql/reference/objects#treeentry (`name`, `type`, `object`),
 * https://docs.github.com/en/graphql/reference/objects#blob (`byteSize`, `text`, `isBinary`).
 */
export const TREE_FRAGMENT = `fragment TreeTexts on GitObject { ... on Tree { entries { name type object { ... on Blob { oid byteSize text isBinary isTruncated } } } } }`;

export interface TreeFields {
  readonly entries?:
    | readonly {
        readonly name: string;
        readonly type: string;
        readonly object: (BlobFields & { readonly byteSize?: number }) | null;
      }[]
    | null;
}

/** A `TreeTexts` answer: the directory's files (a file withheld or binary has no text); null: none. */
export function treeAnswer(
  object: TreeFields | null | undefined,
): readonly { name: string; size: number; text: string | null }[] | null {
  if (!object?.entries) return null;
  return object.entries.flatMap((entry) => {
    if (entry.type !== "blob" || typeof entry.object?.byteSize !== "number") return [];
    const blob = blobAnswer(entry.object);
    return [
      {
        name: entry.name,
        size: entry.object.byteSize,
        text: blob.kind === "text" ? blob.text : null,
      },
    ];
  });
}

/** A `GitObject` answer: a tree or a submodule is no file, as REST's contents API says. */
export function blobAnswer(object: BlobFields | null | undefined): BlobAnswer {
  if (!object || object.oid === undefined || !("text" in object)) return { kind: "absent" };
  // U+FFFD may stand for bytes that are not UTF-8: REST's contents API gives the bytes themselves.
  if (
    object.isBinary !== false ||
    object.isTruncated ||
    typeof object.text !== "string" ||
    object.text.includes("\uFFFD")
  )
    return { kind: "unreadable" };
  return { kind: "text", text: object.text, oid: object.oid };
}
