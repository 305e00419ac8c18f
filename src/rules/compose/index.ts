import type { AnyRule } from "../types.js";
import healthcheckHairTrigger from "./healthcheck-hair-trigger.js";
import healthcheckRemoved from "./healthcheck-removed.js";
import portsPublishedChanged from "./ports-published-changed.js";
import serviceRemovedWhileReferenced from "./service-removed-while-referenced.js";

/** The compose family (docker-compose files), in catalog order. */
export const COMPOSE_RULES: readonly AnyRule[] = [
  healthcheckHairTrigger,
  healthcheckRemoved,
  portsPublishedChanged,
  serviceRemovedWhileReferenced,
];
