import type { Plain } from "../../formats/tree.js";
import { toNumber } from "../model/figures.js";
import {
  declaredDefaults,
  type DeclaredDefault,
  type DefaultSetting,
} from "../model/iac/defaults.js";
import { parseMatcher } from "../model/status-codes.js";
import { defineRule, type Detection } from "../types.js";

const asBool = (value: Plain | undefined): boolean | undefined =>
  value === true || value === "true"
    ? true
    : value === false || value === "false"
      ? false
      : undefined;

const shown = (value: Plain | undefined): string =>
  value === undefined ? "(none)" : typeof value === "string" ? `"${value}"` : JSON.stringify(value);

/** What a setting feeds, read from its variable's name, map key and description. */
type Feeds = "stickiness" | "matcher" | "listeners" | "internal" | "draining" | "idle";

function feeds(setting: DefaultSetting): Feeds | undefined {
  // CloudFormation parameters are CamelCase: `LoadBalancerInternal` reads as `load_balancer_internal`.
  const name = setting.name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  if (/stick|affinity/.test(name) && !/duration|ttl|cookie_name/.test(name)) return "stickiness";
  if (/matcher|success_codes|http_?code/.test(name)) return "matcher";
  if (/listeners?$|_protocols$|listener_ports?$/.test(name)) return "listeners";
  if (/(^|_)internal$|is_internal$/.test(name)) return "internal";
  if (/deregistration|draining/.test(name) && !/enabled$/.test(name)) return "draining";
  // Terraform's own create/update/delete operation timeouts are not traffic.
  if (/idle_timeout|keep_?alive/.test(name)) return "idle";
  return undefined;
}

interface Verdict {
  readonly consequence: string;
  readonly safe: string;
}

/** Judges old → new of one default by what it feeds (docs/risk.md); undefined when it is not high. */
function judge(
  kind: Feeds,
  was: Plain,
  now: Plain | undefined,
  cutFactor: number,
): Verdict | undefined {
  switch (kind) {
    case "stickiness": {
      const old = asBool(was);
      const value = now === undefined ? false : asBool(now);
      if (old !== true || value !== false) return undefined;
      return {
        consequence: `stickiness is now off for every caller that relied on the default, so their sessions break${now === undefined ? " (the provider's default is off)" : ""}`,
        safe: "true",
      };
    }
    case "matcher": {
      const old =
        typeof was === "string" || typeof was === "number" ? parseMatcher(was) : undefined;
      // AWS target groups accept only 200 when no matcher is set (docs/lb-facts.md §1a).
      const value =
        now === undefined
          ? new Set([200])
          : typeof now === "string" || typeof now === "number"
            ? parseMatcher(now)
            : undefined;
      if (!old || !value || [...old].every((code) => value.has(code))) return undefined;
      return {
        consequence: `health checks now fail on ${[...old].filter((code) => !value.has(code)).length} status codes they passed on (${shown(was)} → ${now === undefined ? "200, the provider's default" : shown(now)}), so healthy targets are ejected`,
        safe: String(was),
      };
    }
    case "listeners": {
      const oldCount = Array.isArray(was) ? was.length : undefined;
      const newCount = now === undefined ? 0 : Array.isArray(now) ? now.length : undefined;
      if (!oldCount || newCount !== 0) return undefined;
      return {
        consequence:
          "callers that relied on the default get no listener, so nothing accepts their traffic",
        safe: JSON.stringify(was),
      };
    }
    case "internal": {
      if (asBool(was) !== true || (now !== undefined && asBool(now) !== false)) return undefined;
      return {
        consequence: "load balancers of callers that relied on the default become internet-facing",
        safe: "true",
      };
    }
    case "draining":
    case "idle": {
      const old = toNumber(was);
      const value = toNumber(now);
      if (
        old === undefined ||
        value === undefined ||
        value >= old ||
        (value > 0 && old / value < cutFactor)
      )
        return undefined;
      return {
        consequence:
          kind === "draining"
            ? `every caller's targets are drained for ${value} s instead of ${old} s, so requests still running are cut`
            : `every caller's idle connections are closed after ${value} s instead of ${old} s`,
        safe: String(old),
      };
    }
  }
}

/**
 * A module's variable default, or a template's parameter default, is what every caller gets unless it sets the
 * value (docs/risk.md: the consequence is the setting's own). Judged by what the variable's name, map key and
 * description say it feeds: stickiness, a health-check matcher, listeners, internal, draining, idle timeout.
 */
export default defineRule({
  id: "generic.module-default-changed",
  family: "generic",
  title: "Module or template default changes what every caller gets",
  description:
    "A Terraform variable's `default` (or a key of a map default) or a CloudFormation parameter's `Default` that " +
    "feeds a load-balancer setting changes, or disappears with its variable (not renamed: no other variable has the " +
    "same default), so every caller that relied on it gets the new value: stickiness on → off, a health-check " +
    "matcher narrowed (absent: the provider's 200), the listener list emptied, internal true → false, deregistration " +
    "delay or idle timeout cut by `cutFactor` times or more (or to 0). High, as the same change on the resource would be.",
  severity: "high",
  params: {
    // docs/risk.md, Draining/Connections: a cut by five times or more is sharp.
    cutFactor: {
      default: 5,
      description: "A draining or idle-timeout default cut by this factor or more is high.",
    },
  },
  dialects: ["terraform", "cloudformation"],
  check(file, params) {
    const before = declaredDefaults(file.dialect, file.before);
    const after = declaredDefaults(file.dialect, file.after);
    if (before.length === 0) return [];
    const afterOwners = new Set(after.map((declared) => declared.owner));
    const afterPrints = new Set(after.map((declared) => declared.print));
    const now = new Map(after.flatMap((declared) => declared.settings.map((s) => [s.path, s])));
    const findings: Detection[] = [];
    const movedValues = new Set(after.flatMap((declared) => declared.settings.map(settingPrint)));
    // Listener lists are judged together: a default listener list replaced by other, empty ones.
    const listenerAfter = after.flatMap((d) => d.settings).filter((s) => feeds(s) === "listeners");
    for (const declared of before) {
      const removed = !afterOwners.has(declared.owner);
      // Renamed with the same default: callers change their argument name, values stay.
      if (removed && afterPrints.has(declared.print)) continue;
      for (const was of declared.settings) {
        const kind = feeds(was);
        if (!kind) continue;
        const current = now.get(was.path);
        if (!current && !removed) continue;
        // Moved into another variable or a map default with the same value: callers still get it.
        if (!current && movedValues.has(settingPrint(was))) continue;
        if (kind === "listeners") {
          if (
            current &&
            current.value !== null &&
            Array.isArray(current.value) &&
            current.value.length > 0
          )
            continue;
          if (
            !current &&
            (listenerAfter.length === 0 ||
              listenerAfter.some((s) => Array.isArray(s.value) && s.value.length > 0))
          )
            continue;
        }
        const verdict = judge(kind, was.value, current?.value, params.cutFactor);
        if (!verdict) continue;
        findings.push({
          severity: "high",
          line: current?.line ?? was.line,
          path: current?.path ?? was.path,
          message:
            `${was.path} ${current ? `default changes from ${shown(was.value)} to ${shown(current.value)}` : `(default ${shown(was.value)}) is removed`}: ${verdict.consequence}.` +
            ` Safe: keep the default \`${verdict.safe}\`, and set the new value only in the callers that want it.`,
          before: was.value,
          after: current?.value ?? null,
          checklist: [
            `Confirm which callers of this ${file.dialect === "terraform" ? "module" : "template"} rely on the default of ${was.owner}.`,
          ],
        });
      }
    }
    findings.push(...ejection(before, after, params.cutFactor));
    return findings;
  },
});

/** A setting by its own name and value, wherever it is declared. */
const settingPrint = (setting: DefaultSetting): string =>
  `${snake(setting.name)}=${JSON.stringify(setting.value)}`;

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
const INTERVAL = /health_?check_?interval|^interval(_seconds)?$/;
const UNHEALTHY = /unhealthy_?threshold/;
// Judgement shared with the health-check rules (src/rules/model/hair-trigger.ts): ejecting in under 5 s is hair-trigger.
const HAIR_TRIGGER_SECONDS = 5;

/** Interval × unhealthy threshold per group of defaults (a map default, or the file's top-level variables). */
function ejections(declared: readonly DeclaredDefault[]) {
  const groups = new Map<string, { interval?: DefaultSetting; unhealthy?: DefaultSetting }>();
  for (const entry of declared)
    for (const setting of entry.settings) {
      const name = snake(setting.name);
      const kind = INTERVAL.test(name)
        ? "interval"
        : UNHEALTHY.test(name)
          ? "unhealthy"
          : undefined;
      if (!kind || toNumber(setting.value) === undefined) continue;
      const group = setting.owner === setting.name ? "" : setting.owner;
      groups.set(group, { ...groups.get(group), [kind]: setting });
    }
  return groups;
}

/** A default health check that now ejects a target sharply sooner, or in under the hair-trigger floor. */
function ejection(
  before: readonly DeclaredDefault[],
  after: readonly DeclaredDefault[],
  cutFactor: number,
): Detection[] {
  const old = ejections(before);
  const out: Detection[] = [];
  for (const [group, now] of ejections(after)) {
    const was = old.get(group);
    if (!was?.interval || !was.unhealthy || !now.interval || !now.unhealthy) continue;
    const wasSeconds = toNumber(was.interval.value)! * toNumber(was.unhealthy.value)!;
    const seconds = toNumber(now.interval.value)! * toNumber(now.unhealthy.value)!;
    if (seconds >= wasSeconds || seconds <= 0) continue;
    const hair = seconds < HAIR_TRIGGER_SECONDS && wasSeconds >= HAIR_TRIGGER_SECONDS;
    if (!hair && wasSeconds / seconds < cutFactor) continue;
    const changed = now.interval.value !== was.interval.value ? now.interval : now.unhealthy;
    out.push({
      severity: "high",
      line: changed.line,
      path: changed.path,
      message:
        `the default health check${group ? ` of ${group}` : ""} now ejects a target after ${seconds} s (${String(now.interval.value)} s × ${String(now.unhealthy.value)}), was ${wasSeconds} s: every caller that relied on the defaults ejects healthy targets on a brief hiccup.` +
        ` Safe: keep the defaults \`${String(was.interval.value)}\` × \`${String(was.unhealthy.value)}\` and set shorter values only in the callers that want them.`,
      before: wasSeconds,
      after: seconds,
      figures: { ejectAfterSecondsBefore: wasSeconds, ejectAfterSeconds: seconds },
      checklist: [
        "Confirm which callers rely on the default health-check interval and unhealthy threshold.",
      ],
    });
  }
  return out;
}
