/** What every resolver reads: the emulator's state, its URLs, and who is asking. */
import type { GraphQLResolveInfo } from "graphql";
import type { Links } from "../rest/shapes/index.js";
import type { EmulatorState } from "../state/types.js";

export interface ResolveContext {
  readonly state: EmulatorState;
  readonly links: Links;
  /** The login the request acts as (the App's bot for installation tokens). */
  readonly viewer: string | null;
  /** A workflow's GITHUB_TOKEN: organization teams are FORBIDDEN to it. */
  readonly actionsToken?: boolean;
}

/** A field resolver as graphql-js's default resolver calls a method of the source object. */
export type Resolver<A = Record<string, never>> = (
  args: A,
  context: ResolveContext,
  info: GraphQLResolveInfo,
) => unknown;
