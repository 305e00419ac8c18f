import type { TreeNode } from "../../formats/tree.js";
import type { Affinity } from "./affinity.js";
import type { HealthCheck } from "./health-check.js";

/** What one dialect's extractor can read out of a parsed file. Missing parts mean "none found". */
export interface DialectModel {
  readonly healthChecks?: (tree: TreeNode) => HealthCheck[];
  readonly affinities?: (tree: TreeNode) => Affinity[];
}
