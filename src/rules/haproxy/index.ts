import type { AnyRule } from "../types.js";
import backendSwitchChanged from "./backend-switch-changed.js";
import balanceChanged from "./balance-changed.js";
import cookieServerValueChanged from "./cookie-server-value-changed.js";
import defaultServerChanged from "./default-server-changed.js";
import durationUnitSuspect from "./duration-unit-suspect.js";
import evaluationOrderChanged from "./evaluation-order-changed.js";
import healthCheckRemoved from "./health-check-removed.js";
import httpchkChanged from "./httpchk-changed.js";
import maxconnCut from "./maxconn-cut.js";
import onMarkedDownShutdownSessions from "./on-marked-down-shutdown-sessions.js";
import serverDisabled from "./server-disabled.js";
import sectionRemoved from "./section-removed.js";
import serverRemoved from "./server-removed.js";
import timeoutCheckAtOrAboveServer from "./timeout-check-at-or-above-server.js";
import timeoutCut from "./timeout-cut.js";

/** The haproxy family, in catalog order. */
export const HAPROXY_RULES: readonly AnyRule[] = [
  serverRemoved,
  serverDisabled,
  healthCheckRemoved,
  defaultServerChanged,
  balanceChanged,
  cookieServerValueChanged,
  maxconnCut,
  timeoutCut,
  timeoutCheckAtOrAboveServer,
  httpchkChanged,
  onMarkedDownShutdownSessions,
  durationUnitSuspect,
  evaluationOrderChanged,
  sectionRemoved,
  backendSwitchChanged,
];
