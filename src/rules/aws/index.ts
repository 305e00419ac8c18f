import type { Params, Rule } from "../types.js";

/** The aws family, in catalog order. */
export const AWS_RULES: readonly Rule<Params>[] = [];
