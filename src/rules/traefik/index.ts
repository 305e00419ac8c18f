import type { AnyRule } from "../types.js";
import evaluationOrderChanged from "./evaluation-order-changed.js";
import healthCheckPathChanged from "./health-check-path-changed.js";
import healthCheckRemoved from "./health-check-removed.js";
import mirroringChanged from "./mirroring-changed.js";
import passHostHeaderDisabled from "./pass-host-header-disabled.js";
import serverRemoved from "./server-removed.js";
import tlsReferenceChanged from "./tls-reference-changed.js";
import weightedShift from "./weighted-shift.js";

/** The traefik family, in catalog order. */
export const TRAEFIK_RULES: readonly AnyRule[] = [
  serverRemoved,
  healthCheckRemoved,
  healthCheckPathChanged,
  passHostHeaderDisabled,
  weightedShift,
  mirroringChanged,
  evaluationOrderChanged,
  tlsReferenceChanged,
];
