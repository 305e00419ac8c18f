import type { Params, Rule } from "../types.js";

/** The kubernetes family, in catalog order. */
export const KUBERNETES_RULES: readonly Rule<Params>[] = [];
