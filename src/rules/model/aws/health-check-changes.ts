// What a health check asks (path, port, protocol, success codes), and what a change to it means, for the
// aws health-check rules. A check that every target fails does not stop traffic on ELBv2: "the load balancer
// fails open" and routes to all targets (docs/lb-facts.md §1d), so the fault is hidden, not contained.
import type { Scalar } from "../../../formats/tree.js";
import type { Severity } from "../../severity.js";
import type { Detection, FileUnderReview } from "../../types.js";
import { asWritten, settingChanges } from "../iac/setting-changes.js";
import { boolOf, stringOf, valuesOf } from "../iac/settings.js";
import { parseMatcher } from "../status-codes.js";
import type { Transition } from "../transitions.js";
import { keptPairsOf } from "./elb-resources.js";
import { elbHealthChecksOf, type HealthCheckSettings } from "./health-checks.js";
import { safe } from "../advice.js";

export type ProbeField = "checkPath" | "port" | "protocol";

const HTTP_PROTOCOLS = new Set(["HTTP", "HTTPS"]);

const FIELD_NAMES: Record<ProbeField, string> = {
  checkPath: "path",
  port: "port",
  protocol: "protocol",
};

/** Every kept, enabled check whose `field` changes, with its before and after values. */
export function probeChanges(
  file: FileUnderReview,
  field: ProbeField,
): Transition<HealthCheckSettings, string | number | boolean>[] {
  return settingChanges(
    keptPairsOf(file, elbHealthChecksOf),
    (check) => check[field],
    (value) => normalise(field, value),
  ).filter(
    ({ before, after }) =>
      boolOf(before.enabled) !== false &&
      boolOf(after.enabled) !== false &&
      (field === "checkPath" || stringOf(after.targetType) !== "lambda"),
  );
}

function normalise(field: ProbeField, value: Scalar): string | number | boolean | undefined {
  if (field === "protocol" && typeof value === "string") return value.toUpperCase();
  if (field === "port") return String(value);
  return asWritten(value);
}

/** The check's protocol after the change, upper case, if known. */
function protocolOf(check: HealthCheckSettings): string | undefined {
  const values = valuesOf(check.protocol, check.protocol);
  const value = values?.[1];
  return typeof value === "string" ? value.toUpperCase() : undefined;
}

export function isHttpCheck(check: HealthCheckSettings): boolean | undefined {
  const protocol = protocolOf(check);
  return protocol === undefined ? undefined : HTTP_PROTOCOLS.has(protocol) || check.grpc;
}

/** What happens when the new check fails on every target, per provider. */
export function failureOutcome(check: HealthCheckSettings): string {
  return check.provider === "classic"
    ? "with no healthy instance the classic load balancer has nowhere to send requests"
    : "with every target unhealthy AWS fails open and routes to all of them, hiding the fault";
}

/** The port a check probes, with `traffic-port` resolved to the group's port when it is known. */
export function effectivePort(check: HealthCheckSettings, port: Scalar): string {
  if (String(port) !== "traffic-port") return String(port);
  const traffic = stringOf(check.trafficPort);
  return traffic ?? "traffic-port";
}

export function probeDetection(
  after: HealthCheckSettings,
  field: ProbeField,
  severity: Severity,
  was: Scalar,
  now: Scalar,
  message: string,
  checklist: string[],
): Detection {
  const setting = after[field];
  return {
    severity,
    line: setting.line,
    path: setting.path ?? after.path,
    message:
      severity === "high" || severity === "critical"
        ? `${message}${safe(`keep the check's ${FIELD_NAMES[field]} at ${JSON.stringify(was)} until every target answers ${JSON.stringify(now)}, then change it`)}`
        : message,
    before: was,
    after: now,
    checklist,
  };
}

export interface MatcherChange {
  readonly after: HealthCheckSettings;
  readonly was: Scalar;
  readonly now: Scalar;
  readonly added: number[];
  readonly removed: number[];
}

/** Matchers of kept HTTP/gRPC checks whose accepted codes change. */
export function matcherChanges(file: FileUnderReview): MatcherChange[] {
  const out: MatcherChange[] = [];
  for (const { before, after, was, now } of settingChanges(
    keptPairsOf(file, elbHealthChecksOf),
    (check) => check.matcher,
    asWritten,
  )) {
    if (boolOf(after.enabled) === false || isHttpCheck(after) === false) continue;
    if (before.grpc !== after.grpc) continue; // gRPC and HTTP codes are not comparable
    const codesWas = parseMatcher(was);
    const codesNow = parseMatcher(now);
    if (!codesWas || !codesNow) continue;
    const added = [...codesNow].filter((code) => !codesWas.has(code));
    const removed = [...codesWas].filter((code) => !codesNow.has(code));
    if (added.length === 0 && removed.length === 0) continue;
    out.push({ after, was, now, added, removed });
  }
  return out;
}
