import type { Params, Rule } from "../types.js";

/** The traefik family, in catalog order. */
export const TRAEFIK_RULES: readonly Rule<Params>[] = [];
