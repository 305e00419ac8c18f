// The cross-format entities of every dialect (health checks, affinities), extracted once per tree: the lb rules
// judge them whatever the file's format.
import type { Dialect } from "../../formats/dialect.js";
import type { Affinity } from "./affinity.js";
import {
  awsCloudFormationAffinities,
  awsCloudFormationHealthChecks,
  awsTerraformAffinities,
  awsTerraformHealthChecks,
} from "./aws/entities.js";
import { azureAffinities, azureHealthChecks } from "./azure/entities.js";
import type { DialectModel } from "./dialect-model.js";
import { envoyModel } from "./envoy/entities.js";
import { gcpAffinities, gcpHealthChecks } from "./gcp/entities.js";
import { haproxyModel } from "./haproxy/entities.js";
import type { HealthCheck } from "./health-check.js";
import { kubernetesModel } from "./kubernetes/entities.js";
import { memoByDialectTree } from "./memo.js";
import { nginxModel } from "./nginx/entities.js";
import { traefikModel } from "./traefik/entities.js";

/** The extractor for each dialect; a dialect without one has no load-balancer model. */
const MODELS: Partial<Record<Dialect, DialectModel>> = {
  terraform: {
    healthChecks: (tree) => [
      ...awsTerraformHealthChecks(tree),
      ...gcpHealthChecks(tree),
      ...azureHealthChecks(tree),
    ],
    affinities: (tree) => [
      ...awsTerraformAffinities(tree),
      ...gcpAffinities(tree),
      ...azureAffinities(tree),
    ],
  },
  cloudformation: {
    healthChecks: awsCloudFormationHealthChecks,
    affinities: awsCloudFormationAffinities,
  },
  kubernetes: kubernetesModel,
  envoy: envoyModel,
  traefik: traefikModel,
  haproxy: haproxyModel,
  nginx: nginxModel,
};

// Several rules read the same entities of the same tree: extract them once per tree (trees are immutable).
export const healthChecksOf = memoByDialectTree(
  (dialect, tree): HealthCheck[] => MODELS[dialect]?.healthChecks?.(tree) ?? [],
);

export const affinitiesOf = memoByDialectTree(
  (dialect, tree): Affinity[] => MODELS[dialect]?.affinities?.(tree) ?? [],
);
