import type { Severity } from "../severity.js";
import { defineRule, type Detection } from "../types.js";
import { type Listener, listenersOf } from "../model/aws/listeners.js";
import { DEFAULT_POLICY, protocolName, tlsPolicy } from "../model/aws/tls-policies.js";
import { stringOf, valueOf } from "../model/iac/settings.js";
import { withPrevious } from "../model/pairs.js";
import { safe } from "../model/advice.js";

const TLS_PROTOCOLS = new Set(["HTTPS", "TLS"]);

/**
 * The listener's security policy sets the lowest TLS version and the cipher suites clients may use.
 * Without one, listeners get ELBSecurityPolicy-2016-08 (TLS 1.0; docs/lb-facts.md §2).
 */
export default defineRule({
  id: "aws.listener.ssl-policy-downgraded",
  family: "aws",
  title: "Listener TLS policy weakened",
  description:
    "An HTTPS/TLS listener's `ssl_policy` (CloudFormation `SslPolicy`) accepts an older protocol than before " +
    "(TLS 1.0/1.1 or SSLv3: high) or adds legacy cipher suites (Ext variants: medium). A listener left without a " +
    "policy gets ELBSecurityPolicy-2016-08 (TLS 1.0): a new one is medium; in CloudFormation a removed policy " +
    "is judged as that default, while Terraform keeps the current policy (low). Raising the floor above TLS 1.0 is high " +
    "(docs/risk.md): clients that only speak the old protocols stop connecting.",
  severity: "high",
  params: {
    // docs/lb-facts.md §7 ("a listener policy that allows TLS 1.0/1.1": high).
    minimumTls: {
      default: 1.2,
      description: "Policies whose lowest accepted TLS version is below this are weak.",
    },
  },
  dialects: ["terraform", "cloudformation"],
  check(file, params) {
    const findings: Detection[] = [];
    for (const [before, after] of withPrevious(
      listenersOf(file.dialect, file.before),
      listenersOf(file.dialect, file.after),
    )) {
      if (after.rule || after.classic) continue;
      const protocol = stringOf(after.protocol)?.toUpperCase();
      if (!protocol || !TLS_PROTOCOLS.has(protocol)) continue;
      const finding = judge(before, after, params.minimumTls);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

function judge(
  before: Listener | undefined,
  after: Listener,
  minimumTls: number,
): Detection | undefined {
  const setting = after.sslPolicy;
  if (setting.kind === "unknown" || before?.sslPolicy.kind === "unknown") return undefined;
  const line = setting.line;
  const path = setting.path ?? after.path;
  const name = after.names.sslPolicy;
  if (before && before.protocol.kind === "unknown") return undefined;
  const wasTls = before && TLS_PROTOCOLS.has(stringOf(before.protocol)?.toUpperCase() ?? "");
  const wasName = before && wasTls ? (stringOf(before.sslPolicy) ?? DEFAULT_POLICY) : undefined;

  if (setting.kind === "default") {
    if (!wasName) {
      const what = before ? "now serves TLS" : "is new";
      return detection(
        "medium",
        line,
        path,
        `${after.label} ${what} without ${name}: it gets ${DEFAULT_POLICY}, which accepts TLS 1.0 and 1.1.`,
        null,
        DEFAULT_POLICY,
        [`Set ${name} on ${after.label} (e.g. ELBSecurityPolicy-TLS13-1-2-2021-06).`],
      );
    }
    if (before?.sslPolicy.kind !== "literal") return undefined;
    if (after.dialect === "terraform") {
      return detection(
        "low",
        line,
        path,
        `${after.label} drops ${name} (${wasName}): Terraform keeps the current policy, but a re-created listener would get ${DEFAULT_POLICY} (TLS 1.0).`,
        wasName,
        null,
        [`Keep ${name} = "${wasName}" explicit on ${after.label}.`],
      );
    }
  }
  const nowName = setting.kind === "literal" ? String(valueOf(setting)) : DEFAULT_POLICY;
  if (!wasName || wasName === nowName) return undefined;
  const was = tlsPolicy(wasName);
  const now = tlsPolicy(nowName);
  if (!was || !now) return undefined;
  if (now.floor < was.floor) {
    const weak = now.floor < minimumTls;
    return detection(
      weak ? "high" : "low",
      line,
      path,
      `${after.label} TLS policy ${wasName} → ${nowName}${setting.kind === "default" ? " (the default, as the policy is removed)" : ""}: ` +
        `clients may now connect with ${protocolName(now.floor)} (was ${protocolName(was.floor)} and newer)` +
        (weak
          ? `, a protocol with known weaknesses.${safe(`keep ${name} = "${wasName}" (or another policy with TLS 1.2 and newer only)`)}`
          : "."),
      wasName,
      nowName,
      [
        `Confirm which clients need ${protocolName(now.floor)} on ${after.label}; otherwise keep a TLS 1.2+ policy.`,
      ],
      { tlsFloorBefore: was.floor, tlsFloor: now.floor },
    );
  }
  if (now.floor === was.floor && now.legacyCiphers && !was.legacyCiphers) {
    return detection(
      "medium",
      line,
      path,
      `${after.label} TLS policy ${wasName} → ${nowName}: same protocols, but legacy cipher suites (CBC, RSA key exchange) are accepted again.`,
      wasName,
      nowName,
      [`Confirm which clients need the legacy ciphers of ${nowName}.`],
      { tlsFloorBefore: was.floor, tlsFloor: now.floor },
    );
  }
  if (now.floor > was.floor) {
    // docs/risk.md, TLS: the minimum protocol raised is high (old clients fail); a floor still at TLS 1.0 or
    // below refuses no client in use today.
    const refuses = now.floor > 1.0;
    return detection(
      refuses ? "high" : "low",
      line,
      path,
      `${after.label} TLS policy ${wasName} → ${nowName}: clients that only speak ${protocolName(was.floor)}` +
        `${Math.round((now.floor - was.floor) * 10) > 1 ? ` to ${protocolName(Math.round(now.floor * 10 - 1) / 10)}` : ""} can no longer connect.` +
        (refuses
          ? safe(
              `keep ${name} = "${wasName}" until the listener's logs show no client below ${protocolName(now.floor)}, then raise it in a separate change`,
            )
          : ""),
      wasName,
      nowName,
      [
        `Confirm no client of ${after.label} still needs ${protocolName(was.floor)} (old Android, Java 7, embedded devices).`,
      ],
      { tlsFloorBefore: was.floor, tlsFloor: now.floor },
    );
  }
  return undefined;
}

function detection(
  severity: Severity,
  line: number,
  path: string,
  message: string,
  before: string | null,
  after: string | null,
  checklist: string[],
  figures?: Record<string, number>,
): Detection {
  return {
    severity,
    line,
    path,
    message,
    before,
    after,
    checklist,
    ...(figures ? { figures } : {}),
  };
}
