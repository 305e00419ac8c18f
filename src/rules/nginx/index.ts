import type { Params, Rule } from "../types.js";

/** The nginx family, in catalog order. */
export const NGINX_RULES: readonly Rule<Params>[] = [];
