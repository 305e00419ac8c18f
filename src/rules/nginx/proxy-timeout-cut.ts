import { nginxSeconds } from "../model/durations.js";
import { formatSeconds } from "../model/figures.js";
import { lineFix } from "../model/fix.js";
import { nginxTime } from "../model/proxy-durations.js";
import { defineRule, type Detection } from "../types.js";
import { inheritedDirective, type ScopedBlock } from "../model/nginx/blocks.js";
import { directiveEdits } from "../model/nginx/directive-edits.js";

// ngx_http_proxy_module / ngx_http_grpc_module (docs/lb-facts.md §P2): all three default to 60 s.
const DEFAULT_SECONDS = 60;
// proxy_connect_timeout "cannot usually exceed 75 seconds" (ngx_http_proxy_module; docs/lb-facts.md §P2, §P7 Timeouts).
const CONNECT_CEILING_SECONDS = 75;

/** `proxy_read_timeout` → `read`: each timeout directive and its phase. */
const PHASE_OF = new Map<string, string>(
  ["proxy", "grpc"].flatMap((prefix) =>
    ["connect", "read", "send"].map((phase) => [`${prefix}_${phase}_timeout`, phase] as const),
  ),
);

const EFFECTS: Readonly<Record<string, string>> = {
  connect: "backends slower to accept a connection count as failed (502/504, next upstream tried)",
  read: "a response that pauses longer than that between two reads gets a 504",
  send: "a request body the backend reads slower than that is cut",
};

const seconds = (block: ScopedBlock | undefined, name: string): number | undefined => {
  const found = inheritedDirective(block, name);
  return found ? nginxSeconds(found.value) : DEFAULT_SECONDS;
};

/** Proxy timeouts cut hard turn slow responses into 504s. */
export default defineRule({
  id: "nginx.proxy-timeout.cut",
  family: "nginx",
  title: "Proxy timeout cut by more than half",
  description:
    "proxy_ or grpc_ connect/read/send timeouts are cut by more than half where they are written (inherited " +
    "values and the 60 s default count): responses slower than the new value fail with 504 (medium; high when cut " +
    'by `highCutRatio` or more, docs/risk.md "Connections are cut"). A proxy_connect_timeout raised above 75 s ' +
    "has no effect (low).",
  severity: "high",
  params: {
    // docs/lb-facts.md §P7 Timeouts: a cut below the observed p99 gives 504s; "more than half" as for limits.
    cutPercent: {
      default: 50,
      description: "A cut larger than this share of the old timeout (percent) is reported.",
    },
    // docs/risk.md "Connections are cut": cut sharply = by five times or more, as for drains.
    highCutRatio: {
      default: 0.2,
      description: "A timeout cut to this share of the old one or less (by 5× or more) is high.",
    },
  },
  dialects: ["nginx"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const { before, after, fresh, name, ownBefore, own, path } of directiveEdits(file, [
      ...PHASE_OF.keys(),
    ])) {
      // A new block has no earlier timeout of its own to cut from.
      if (!before || fresh) continue;
      const phase = PHASE_OF.get(name)!;
      const was = seconds(before, name);
      const now = seconds(after, name);
      if (was === undefined || now === undefined) continue;
      const line = own?.line ?? ownBefore?.line ?? 1;
      if (phase === "connect" && now > CONNECT_CEILING_SECONDS && was !== now) {
        findings.push({
          severity: "low",
          line,
          path,
          message: `${name} in ${after.label} is ${formatSeconds(now)}, but a connect timeout cannot usually exceed 75 s: the extra time has no effect.`,
          before: was,
          after: now,
          figures: { timeoutSeconds: now },
          checklist: [`Set ${name} to 75 s or less in ${after.label}.`],
        });
        continue;
      }
      if (now >= was * (1 - params.cutPercent / 100)) continue;
      const sharp = now <= was * params.highCutRatio;
      const fix =
        sharp && own
          ? lineFix(file, own.line, [{ keys: [name], value: was, duration: { bareSeconds: 1 } }])
          : undefined;
      findings.push({
        severity: sharp ? "high" : "medium",
        line,
        path,
        message:
          `${name} in ${after.label} cut from ${formatSeconds(was)} to ${formatSeconds(now)}: ${EFFECTS[phase]}.` +
          (sharp
            ? ` Safe: keep \`${name} ${nginxTime(was) ?? `${Math.round(was * 1000)}ms`};\` as before, or above ${formatSeconds(was * params.highCutRatio)} and the slowest response.`
            : ""),
        before: was,
        after: now,
        figures: { timeoutSecondsBefore: was, timeoutSeconds: now },
        checklist: [
          `Confirm the slowest endpoint behind ${after.label} stays well below ${formatSeconds(now)} (p99, not the mean).`,
        ],
        ...(fix ? { fix } : {}),
      });
    }
    return findings;
  },
});
