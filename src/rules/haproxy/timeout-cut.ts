import { child } from "../../formats/tree.js";
import { haproxySeconds } from "../model/durations.js";
import { formatSeconds } from "../model/figures.js";
import { defineRule, type Detection } from "../types.js";
import { plural } from "../message.js";
import {
  type HaproxySection,
  haproxySections,
  inheritedValue,
  inheritors,
  type SectionKind,
  sectionPairs,
  sectionPath,
  written,
} from "../model/haproxy/sections.js";
import { safe } from "../model/advice.js";
import { haproxyTime } from "../model/proxy-durations.js";

interface TimeoutSpec {
  /** Section kinds where HAProxy uses it (it ignores, with a warning, the others). */
  readonly kinds: readonly SectionKind[];
  /** What a value below the real need causes. */
  readonly effect: string;
  /** The timeout that applies when this one is unset; undefined = infinite. */
  readonly fallback?: string;
}

// HAProxy manual §4.2 (docs/lb-facts.md §P1): unset client/server/connect are infinite; queue falls back to connect,
// http-request and tunnel to the client/server inactivity timeouts, http-keep-alive to http-request.
const TIMEOUTS: Readonly<Record<string, TimeoutSpec>> = {
  client: {
    kinds: ["defaults", "frontend", "listen"],
    effect: "idle or slow clients are cut after that long",
  },
  server: {
    kinds: ["defaults", "backend", "listen"],
    effect: "responses slower than that get a 504",
  },
  connect: {
    kinds: ["defaults", "backend", "listen"],
    effect: "servers slower to accept a connection count as failed (503 after retries)",
  },
  queue: {
    kinds: ["defaults", "backend", "listen"],
    effect: "requests queued behind maxconn get a 503 after that long",
    fallback: "connect",
  },
  "http-request": {
    kinds: ["defaults", "frontend", "listen"],
    effect: "clients slower to send their headers get a 408",
    fallback: "client",
  },
  "http-keep-alive": {
    kinds: ["defaults", "frontend", "backend", "listen"],
    effect: "idle keep-alive connections close sooner (more reconnects)",
    fallback: "http-request",
  },
  tunnel: {
    kinds: ["defaults", "backend", "listen"],
    effect: "WebSocket and other tunnels idle for that long are closed",
    fallback: "server",
  },
  check: {
    kinds: ["defaults", "backend", "listen"],
    effect: "health checks answered slower than that fail, marking servers DOWN",
  },
};

/** The timeout in effect in a section (own, inherited or through its fallback), in seconds; null = infinite. */
function effectiveSeconds(
  section: HaproxySection,
  name: string,
  depth = 0,
): number | null | undefined {
  const found = inheritedValue(section, "timeout", name);
  if (found) return haproxySeconds(found.node.value);
  const fallback = TIMEOUTS[name]?.fallback;
  if (fallback && depth < 3) return effectiveSeconds(section, fallback, depth + 1);
  return name === "check" ? undefined : null;
}

/** Timeouts cut hard, or removed (HAProxy then waits forever), where the change was written. */
export default defineRule({
  id: "haproxy.timeout.cut",
  family: "haproxy",
  title: "Timeout cut by more than half, or removed",
  description:
    "A `timeout` (client, server, connect, queue, http-request, http-keep-alive, tunnel, check) is cut by more " +
    "than half where it is written, or removed so that it becomes infinite (client, server, connect: HAProxy " +
    "warns at startup, and stuck connections pile up until maxconn). A defaults section counts for every proxy " +
    "that inherits it.",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Timeouts: a cut below the observed p99 gives 504s; "more than half" as for limits.
    cutPercent: {
      default: 50,
      description:
        "A cut larger than this share of the old timeout (percent) is reported (medium).",
    },
  },
  dialects: ["haproxy"],
  check(file, params) {
    const findings: Detection[] = [];
    const sectionsAfter = haproxySections(file.after);
    for (const [before, after] of sectionPairs(file.before, file.after)) {
      // Timeouts that become infinite are reported together: they are usually one deleted block.
      const infinite: { name: string; was: number; line: number; reach: string }[] = [];
      for (const [name, spec] of Object.entries(TIMEOUTS)) {
        if (!spec.kinds.includes(after.kind)) continue;
        const ownBefore = child(child(before.body, "timeout"), name);
        const ownAfter = child(child(after.body, "timeout"), name);
        if (written(ownBefore) === written(ownAfter)) continue;
        const was = effectiveSeconds(before, name);
        const now = effectiveSeconds(after, name);
        if (was === undefined || now === undefined || was === null) continue;
        const heirs =
          after.kind === "defaults"
            ? inheritors(sectionsAfter, after).filter((heir) => spec.kinds.includes(heir.kind))
            : [];
        const using = heirs.filter((heir) => !child(child(heir.body, "timeout"), name)).length;
        const reach =
          after.kind !== "defaults"
            ? ""
            : using === 0
              ? " (no proxy in this file uses it; others may)"
              : ` for ${plural(using, "proxy", "proxies")} that ${using === 1 ? "inherits" : "inherit"} it`;
        const line = ownAfter?.line ?? child(after.body, "timeout")?.line ?? after.line;
        if (now === null) {
          infinite.push({ name, was, line: ownBefore && !ownAfter ? ownBefore.line : line, reach });
          continue;
        }
        if (now >= was * (1 - params.cutPercent / 100)) continue;
        findings.push({
          severity: "medium",
          line,
          path: sectionPath(after, "timeout", name),
          message: `timeout ${name} of ${after.label} cut from ${formatSeconds(was)} to ${formatSeconds(now)}${reach}: ${spec.effect}.`,
          before: was,
          after: now,
          figures: { timeoutSecondsBefore: was, timeoutSeconds: now },
          checklist: [
            `Confirm the p99 of what timeout ${name} bounds stays well below ${formatSeconds(now)}.`,
          ],
        });
      }
      if (infinite.length === 0) continue;
      infinite.sort((a, b) => a.line - b.line);
      const names = infinite.map(
        (entry) => `timeout ${entry.name} (was ${formatSeconds(entry.was)})`,
      );
      findings.push({
        severity: "high",
        line: infinite[0]!.line,
        path: sectionPath(after, "timeout", infinite[0]!.name),
        message: `${after.label} no longer sets ${names.join(", ")}: ${infinite.length === 1 ? "it is" : "they are"} now infinite${infinite[0]!.reach}, so stuck connections are never closed and pile up until maxconn.${safe(`keep ${infinite.map((entry) => `timeout ${entry.name} ${haproxyTime(entry.was) ?? `${Math.round(entry.was * 1000)}ms`}`).join(", ")} in ${after.label}`)}`,
        before: Object.fromEntries(infinite.map((entry) => [entry.name, entry.was])),
        after: null,
        figures: Object.fromEntries(
          infinite.map((entry) => [`${entry.name}SecondsBefore`, entry.was]),
        ),
        checklist: [
          `Restore finite timeouts in ${after.label}, or confirm the configuration sets them elsewhere (an included file, a controller).`,
        ],
      });
    }
    return findings;
  },
});
