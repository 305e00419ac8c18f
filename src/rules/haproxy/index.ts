import type { Params, Rule } from "../types.js";

/** The haproxy family, in catalog order. */
export const HAPROXY_RULES: readonly Rule<Params>[] = [];
