/** Ends an exhaustive switch over a `kind`: a value reaching it is a bug, so it throws. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
