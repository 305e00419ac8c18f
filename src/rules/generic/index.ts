import type { Params, Rule } from "../types.js";

/** The generic family, in catalog order. */
export const GENERIC_RULES: readonly Rule<Params>[] = [];
