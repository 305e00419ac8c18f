import { child, itemsOf, type Scalar } from "../../formats/tree.js";
import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { type GatewayBlock, gatewayBlocksOf } from "../model/azure/application-gateways.js";
import { isLiteral, settingOf, show, valuesOf } from "../model/iac/settings.js";
import { keptPairs } from "../model/pairs.js";
import { formatCodes, parseMatcher } from "../model/status-codes.js";
import { safe } from "../model/advice.js";

/** Without `match`, a probe passes on HTTP 200–399 (docs/lb-facts.md §6c). */
const DEFAULT_CODES = "200-399";

/**
 * What an Application Gateway probe asks (protocol, host, path, port, expected codes and body) decides
 * which backends pass; a change they do not already satisfy fails them all at once.
 */
export default defineRule({
  id: "azure.app-gateway.probe-changed",
  family: "azure",
  title: "Application Gateway probe changed",
  description:
    "A custom probe of an azurerm_application_gateway changes its protocol, host, path, port, host-name " +
    "source, expected body, or stops accepting status codes: backends that do not answer the new probe are all " +
    "marked unhealthy at once (high). Accepting more codes is medium when it includes 4xx/5xx (failures are " +
    "hidden), low otherwise. Interval and threshold changes are judged by the lb.health-check rules.",
  severity: "high",
  params: {},
  dialects: ["terraform"],
  check(file) {
    const findings: Detection[] = [];
    const probes = (tree: typeof file.before) => gatewayBlocksOf(tree, "probe", "probe");
    for (const [before, after] of keptPairs(probes(file.before), probes(file.after))) {
      const finding = judge(before, after);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

const FIELDS = ["protocol", "host", "path", "port", "pick_host_name_from_backend_http_settings"];

function judge(before: GatewayBlock, after: GatewayBlock): Detection | undefined {
  const changes: { name: string; was: Scalar; now: Scalar; line: number }[] = [];
  for (const field of FIELDS) {
    const values = valuesOf(
      settingOf(
        before.body,
        field,
        field === "pick_host_name_from_backend_http_settings" ? false : "",
        before.line,
      ),
      settingOf(
        after.body,
        field,
        field === "pick_host_name_from_backend_http_settings" ? false : "",
        after.line,
      ),
    );
    if (!values) continue;
    const caseless = field === "protocol";
    const norm = (value: Scalar) => (caseless ? String(value).toUpperCase() : String(value));
    if (norm(values[0]) !== norm(values[1]))
      changes.push({
        name: field,
        was: values[0],
        now: values[1],
        line: child(after.body, field)?.line ?? after.line,
      });
  }
  const bodyWas = matchBody(before);
  const bodyNow = matchBody(after);
  if (bodyWas !== UNKNOWN && bodyNow !== UNKNOWN && bodyWas !== bodyNow && bodyNow !== "")
    changes.push({
      name: "match.body",
      was: bodyWas,
      now: bodyNow,
      line: child(after.body, "match")?.line ?? after.line,
    });
  const codesWas = matchCodes(before);
  const codesNow = matchCodes(after);
  let severity: Severity | undefined = changes.length > 0 ? "high" : undefined;
  let codesNote = "";
  let removed: number[] = [];
  if (codesWas && codesNow) {
    removed = [...codesWas].filter((code) => !codesNow.has(code));
    const added = [...codesNow].filter((code) => !codesWas.has(code));
    if (removed.length > 0) {
      severity = "high";
      codesNote = `no longer accepts ${formatCodes(removed)}`;
    } else if (added.length > 0) {
      const errors = added.filter((code) => code >= 400);
      severity ??= errors.length > 0 ? "medium" : "low";
      codesNote =
        errors.length > 0
          ? `now counts ${formatCodes(errors)} as healthy, hiding failing backends`
          : `also accepts ${formatCodes(added)}`;
    }
  }
  if (!severity) return undefined;
  const parts = [
    ...changes.map((c) => `${c.name} ${show(c.was)} → ${show(c.now)}`),
    ...(codesNote ? [codesNote] : []),
  ];
  const strict = changes.length > 0 || codesNote.startsWith("no longer");
  const kept = changes.map((c) => `${c.name} ${show(c.was)}`);
  const advice =
    severity === "high"
      ? safe(
          `keep ${[...kept, ...(removed.length > 0 ? [`the status codes ${formatCodes(removed)} accepted`] : [])].join(", ")} until every backend passes the new probe`,
        )
      : "";
  return {
    severity,
    line: changes[0]?.line ?? child(after.body, "match")?.line ?? after.line,
    path: after.path,
    message: strict
      ? `${after.label} probes differently (${parts.join(", ")}): backends that do not pass the new probe are all marked unhealthy at once.${advice}`
      : `${after.label} ${codesNote}.${advice}`,
    checklist: [
      strict
        ? `Confirm every backend of ${after.label} already passes the new probe before this applies.`
        : `Confirm the new status codes from the health endpoint mean the backend can serve.`,
    ],
  };
}

const UNKNOWN = Symbol("unknown");

function matchBody(probe: GatewayBlock): string | typeof UNKNOWN {
  const body = child(itemsOf(child(probe.body, "match"))[0], "body");
  if (body === undefined) return "";
  return isLiteral(body) ? String(body.value) : UNKNOWN;
}

function matchCodes(probe: GatewayBlock): Set<number> | undefined {
  const match = itemsOf(child(probe.body, "match"))[0];
  const codes = child(match, "status_code");
  if (!match || codes === undefined) return parseMatcher(DEFAULT_CODES);
  const items = itemsOf(codes);
  if (!items.every((item) => isLiteral(item))) return undefined;
  return parseMatcher(
    items.map((item) => String(item.kind === "scalar" ? item.value : "")).join(","),
  );
}
