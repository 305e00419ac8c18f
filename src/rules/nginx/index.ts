import type { AnyRule } from "../types.js";
import durationUnitSuspect from "./duration-unit-suspect.js";
import evaluationOrderChanged from "./evaluation-order-changed.js";
import healthCheckTightened from "./health-check-tightened.js";
import includeUnseen from "./include-unseen.js";
import keepaliveChanged from "./keepalive-changed.js";
import maxConnsCut from "./max-conns-cut.js";
import nextUpstreamRisky from "./next-upstream-risky.js";
import proxyPassClientHost from "./proxy-pass-client-chosen-host.js";
import proxyTimeoutCut from "./proxy-timeout-cut.js";
import routeRemoved from "./route-removed.js";
import sslCiphersWeakened from "./ssl-ciphers-weakened.js";
import sslProtocolsWeakened from "./ssl-protocols-weakened.js";
import upstreamServerDown from "./upstream-server-down.js";
import upstreamServerRemoved from "./upstream-server-removed.js";

/** The nginx family, in catalog order. */
export const NGINX_RULES: readonly AnyRule[] = [
  upstreamServerRemoved,
  upstreamServerDown,
  maxConnsCut,
  keepaliveChanged,
  proxyTimeoutCut,
  healthCheckTightened,
  nextUpstreamRisky,
  sslProtocolsWeakened,
  sslCiphersWeakened,
  durationUnitSuspect,
  includeUnseen,
  evaluationOrderChanged,
  routeRemoved,
  proxyPassClientHost,
];
