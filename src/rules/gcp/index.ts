import type { Params, Rule } from "../types.js";

/** The gcp family, in catalog order. */
export const GCP_RULES: readonly Rule<Params>[] = [];
