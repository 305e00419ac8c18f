/** Failures a resolver answers with, in GitHub's shape (`type` next to `message`). */

/** GitHub's error `type`s the emulator uses, plus its own for fields it does not implement. */
export type GraphqlErrorType =
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "MISSING_PAGINATION_BOUNDARIES"
  | "EXCESSIVE_PAGINATION"
  | "INVALID_CURSOR_ARGUMENTS"
  | "EMULATOR_UNIMPLEMENTED";

/** How the emulator records the failure: a client mistake, a gap of the emulator, or neither. */
export type FailureRecord = "semantic" | "unimplemented" | null;

export class ResolverFailure extends Error {
  constructor(
    readonly type: GraphqlErrorType,
    message: string,
    readonly record: FailureRecord,
  ) {
    super(message);
  }
}

/** A legitimate "no such thing" answer (GitHub nulls the field and adds a NOT_FOUND error). */
export const notFound = (message: string): ResolverFailure =>
  new ResolverFailure("NOT_FOUND", message, null);

/** What GitHub answers a token without the permission (a GITHUB_TOKEN reading a team). */
export const forbidden = (message: string): ResolverFailure =>
  new ResolverFailure("FORBIDDEN", message, null);
