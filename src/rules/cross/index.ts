import type { AnyRule } from "../types.js";
import serviceWorkloadMismatch from "./service-workload-mismatch.js";

/** The cross-file family (rules that read the whole workspace), in catalog order. */
export const CROSS_RULES: readonly AnyRule[] = [serviceWorkloadMismatch];
