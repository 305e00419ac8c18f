/** Relay connections with GitHub's limits: `first` or `last` is required, at most 100. */
import type { GraphQLResolveInfo } from "graphql";
import { ResolverFailure } from "./errors.js";

export interface ConnectionArgs {
  readonly first?: number | null;
  readonly last?: number | null;
  readonly after?: string | null;
  readonly before?: string | null;
}

export type Node = Record<string, unknown>;

const MAX_PAGE = 100;

const cursorOf = (index: number): string => Buffer.from(`cursor:v2:${index}`).toString("base64");

function indexOf(cursor: string, field: string): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  if (!match)
    throw new ResolverFailure(
      "INVALID_CURSOR_ARGUMENTS",
      `\`${cursor}\` does not appear to be a valid cursor (the \`${field}\` connection).`,
      "semantic",
    );
  return Number(match[1]);
}

/**
 * One page of `items` as `{ totalCount, pageInfo, nodes, edges }`. `edge` adds fields of the
 * edge type (a collaborator's `permission`, a team member's `role`).
 */
export function connection<T>(
  info: GraphQLResolveInfo,
  items: readonly T[],
  args: ConnectionArgs,
  node: (item: T) => unknown,
  edge: (item: T) => Node = () => ({}),
): Node {
  const field = info.fieldName;
  if (args.first == null && args.last == null)
    throw new ResolverFailure(
      "MISSING_PAGINATION_BOUNDARIES",
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
      "semantic",
    );
  for (const [name, value] of [
    ["first", args.first],
    ["last", args.last],
  ] as const) {
    if (value == null) continue;
    if (value < 0)
      throw new ResolverFailure(
        "INVALID_CURSOR_ARGUMENTS",
        `\`${name}\` on the \`${field}\` connection cannot be less than zero.`,
        "semantic",
      );
    if (value > MAX_PAGE)
      throw new ResolverFailure(
        "EXCESSIVE_PAGINATION",
        `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of ${MAX_PAGE} records.`,
        "semantic",
      );
  }
  let start = args.after ? indexOf(args.after, field) + 1 : 0;
  let end = args.before ? Math.min(indexOf(args.before, field), items.length) : items.length;
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const indices: number[] = [];
  for (let i = start; i < end; i++) indices.push(i);
  return {
    totalCount: items.length,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: indices.length ? cursorOf(indices[0]!) : null,
      endCursor: indices.length ? cursorOf(indices[indices.length - 1]!) : null,
    },
    nodes: indices.map((i) => node(items[i] as T)),
    edges: indices.map((i) => ({
      cursor: cursorOf(i),
      node: node(items[i] as T),
      ...edge(items[i] as T),
    })),
  };
}
