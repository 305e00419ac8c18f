import { AWS_RULES } from "./aws/index.js";
import { AZURE_RULES } from "./azure/index.js";
import { COMPOSE_RULES } from "./compose/index.js";
import { CROSS_RULES } from "./cross/index.js";
import { ENVOY_RULES } from "./envoy/index.js";
import { GCP_RULES } from "./gcp/index.js";
import { GENERIC_RULES } from "./generic/index.js";
import { HAPROXY_RULES } from "./haproxy/index.js";
import { KUBERNETES_RULES } from "./kubernetes/index.js";
import { LB_RULES } from "./lb/index.js";
import { NGINX_RULES } from "./nginx/index.js";
import { SYSTEM_RULES } from "./system.js";
import { TRAEFIK_RULES } from "./traefik/index.js";
import type { AnyRule } from "./types.js";

/** Every rule Changegate knows, in catalog order. Adding a rule: one file, one line in its family's index, one test. */
export const RULES: readonly AnyRule[] = [
  ...SYSTEM_RULES,
  ...LB_RULES,
  ...AWS_RULES,
  ...GCP_RULES,
  ...AZURE_RULES,
  ...HAPROXY_RULES,
  ...NGINX_RULES,
  ...ENVOY_RULES,
  ...TRAEFIK_RULES,
  ...KUBERNETES_RULES,
  ...COMPOSE_RULES,
  ...GENERIC_RULES,
  ...CROSS_RULES,
];
