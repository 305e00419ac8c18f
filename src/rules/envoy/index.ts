import type { Params, Rule } from "../types.js";

/** The envoy family, in catalog order. */
export const ENVOY_RULES: readonly Rule<Params>[] = [];
