import { formatPath, key } from "../../diff/path.js";
import { child, entriesOf, type TreeNode } from "../../formats/tree.js";
import { defineRule, type Detection } from "../types.js";
import {
  INGRESS_NGINX,
  nginxSettings,
  type NginxSetting,
} from "../model/kubernetes/ingress-nginx.js";
import {
  annotationsLine,
  isTemplated,
  keptObjects,
  objectPath,
  type KubernetesObject,
} from "../model/kubernetes/objects.js";

// ingress-nginx ConfigMap (docs/lb-facts.md §P5b): use-forwarded-headers false, proxy-real-ip-cidr 0.0.0.0/0,
// whitelist-source-range / allowlist-source-range unset (every address).
const TRUSTED_DEFAULT = "0.0.0.0/0";
const WORLD = /^(0\.0\.0\.0\/0|::\/0)$/;

const ranges = (text: string | undefined): string[] =>
  (text ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");

const on = (setting: NginxSetting | undefined): boolean =>
  setting?.value.trim().toLowerCase() === "true";

/**
 * Who ingress-nginx takes the client's address from, and who it lets in (docs/risk.md: exposure). Trusting
 * X-Forwarded-For from any address lets any client choose the address that allowlists, rate limits and logs see;
 * removing an allowlist admits every address.
 */
export default defineRule({
  id: "kubernetes.ingress-nginx.client-ip-trust",
  family: "kubernetes",
  title: "ingress-nginx trusts spoofable client addresses or drops an allowlist",
  description:
    "In the ingress-nginx controller's ConfigMap, `use-forwarded-headers` (or `enable-real-ip`) turns true while " +
    "`proxy-real-ip-cidr` is, or defaults to, 0.0.0.0/0, or the CIDR widens to it while headers are trusted: any " +
    "client can set X-Forwarded-For and pass for any address, so IP allowlists and rate limits stop holding (high). " +
    "The same keys in the ingress-nginx chart's `controller.config` (Helm values) count as the ConfigMap. On an " +
    "Ingress (annotation) or in the ConfigMap, `whitelist-source-range`/`allowlist-source-range` is removed or " +
    "widened to 0.0.0.0/0: every address may now connect (high).",
  severity: "high",
  params: {},
  dialects: ["kubernetes", "helm-values"],
  check(file) {
    const findings: Detection[] = [];
    if (file.dialect === "helm-values") {
      const old = chartConfig(file.before);
      const now = chartConfig(file.after);
      if (old && now)
        findings.push(...trust(CHART_TARGET, old, now), ...allowlist(CHART_TARGET, old, now));
      return findings;
    }
    for (const [before, after] of keptObjects(file.before, file.after)) {
      const old = nginxSettings(before);
      const now = nginxSettings(after);
      if (!old || !now) continue;
      const target = objectTarget(after);
      if (target.global) findings.push(...trust(target, old, now));
      findings.push(...allowlist(target, old, now));
    }
    return findings;
  },
});

/** Where the settings live: an object of a manifest, or the chart's `controller.config` in Helm values. */
interface Target {
  readonly label: string;
  /** Controller-wide (ConfigMap or chart config) or one Ingress. */
  readonly global: boolean;
  /** Line for a setting that is absent on the after side. */
  readonly line: number;
  /** The path of a setting, by its bare name. */
  path(name: string): string;
}

function objectTarget(object: KubernetesObject): Target {
  const global = object.kind === "ConfigMap";
  return {
    label: object.label,
    global,
    line: global ? (child(object.body, "data")?.line ?? object.line) : annotationsLine(object),
    path: (name) =>
      global
        ? objectPath(object, key("data"), key(name))
        : objectPath(object, key("metadata"), key("annotations"), key(`${INGRESS_NGINX}${name}`)),
  };
}

/** The ingress-nginx chart's `controller.config` (the controller ConfigMap's data) in a values file. */
function chartConfig(tree: TreeNode | null): Map<string, NginxSetting> | undefined {
  const config = child(child(tree, "controller"), "config");
  if (config?.kind !== "map") return undefined;
  const out = new Map<string, NginxSetting>();
  for (const [name, node] of entriesOf(config))
    if (node.kind === "scalar" && node.value !== null)
      out.set(name, { value: String(node.value), line: node.line, field: "data" });
  return out;
}

const CHART_TARGET: Target = {
  label: "the ingress-nginx chart's controller.config",
  global: true,
  line: 1,
  path: (name) => formatPath([key("controller"), key("config"), key(name)]),
};

function trust(
  object: Target,
  old: Map<string, NginxSetting>,
  now: Map<string, NginxSetting>,
): Detection[] {
  const trusting = (settings: Map<string, NginxSetting>) =>
    on(settings.get("use-forwarded-headers")) || on(settings.get("enable-real-ip"));
  const cidrText = (settings: Map<string, NginxSetting>) =>
    settings.get("proxy-real-ip-cidr")?.value ?? TRUSTED_DEFAULT;
  if (isTemplated(cidrText(now)) || !trusting(now)) return [];
  const worldNow = ranges(cidrText(now)).some((range) => WORLD.test(range));
  const worldBefore = trusting(old) && ranges(cidrText(old)).some((range) => WORLD.test(range));
  if (!worldNow || worldBefore) return [];
  const setting = now.get("use-forwarded-headers") ?? now.get("enable-real-ip");
  const cidr = now.get("proxy-real-ip-cidr");
  return [
    {
      severity: "high",
      line: (trusting(old) ? cidr?.line : setting?.line) ?? object.line,
      path: object.path(
        trusting(old) ? "proxy-real-ip-cidr" : setting ? "use-forwarded-headers" : "enable-real-ip",
      ),
      message:
        `${object.label} trusts X-Forwarded-For from ${cidrText(now)}${cidr ? "" : " (proxy-real-ip-cidr default)"}: any client can send the header and pass for any address, so whitelist-source-range, rate limits and logs see the address the client chose, on every Ingress this controller serves.` +
        ` Safe: set \`proxy-real-ip-cidr\` to the load balancer's own ranges (for example \`"10.0.0.0/8"\`).`,
      before: trusting(old) ? cidrText(old) : "false",
      after: cidrText(now),
      checklist: [
        `Confirm only the load balancer in front of ${object.label} can reach the controller, or narrow proxy-real-ip-cidr to its addresses.`,
      ],
    },
  ];
}

function allowlist(
  object: Target,
  old: Map<string, NginxSetting>,
  now: Map<string, NginxSetting>,
): Detection[] {
  const read = (settings: Map<string, NginxSetting>) =>
    settings.get("allowlist-source-range") ?? settings.get("whitelist-source-range");
  const was = read(old);
  const current = read(now);
  if (!was || isTemplated(was.value) || isTemplated(current?.value)) return [];
  const wasRanges = ranges(was.value);
  if (wasRanges.some((range) => WORLD.test(range))) return [];
  const nowRanges = ranges(current?.value);
  const opened =
    current === undefined || nowRanges.length === 0 || nowRanges.some((range) => WORLD.test(range));
  if (!opened) return [];
  const name = old.has("allowlist-source-range")
    ? "allowlist-source-range"
    : "whitelist-source-range";
  const written = object.global ? name : `${INGRESS_NGINX}${name}`;
  return [
    {
      severity: "high",
      line: current?.line ?? object.line,
      path: object.path(name),
      message:
        `${object.label} ${current ? `widens ${name} to ${current.value}` : `drops ${name} (${was.value})`}: every address on the internet may now reach ${object.global ? "every Ingress this controller serves" : "its hosts"}.` +
        ` Safe: keep \`${written}: "${was.value}"\`.`,
      before: was.value,
      after: current?.value ?? null,
      checklist: [`Confirm ${object.label} is meant to be reachable from any address.`],
    },
  ];
}
