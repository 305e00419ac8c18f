import type { Params, Rule } from "../types.js";

/** The azure family, in catalog order. */
export const AZURE_RULES: readonly Rule<Params>[] = [];
