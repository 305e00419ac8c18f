import { defineRule, type Detection } from "../types.js";
import { keptPairsOf } from "../model/aws/elb-resources.js";
import { type Listener, listenersOf } from "../model/aws/listeners.js";
import { stringOf } from "../model/iac/settings.js";

const TLS_PROTOCOLS = new Set(["HTTPS", "TLS", "SSL"]);

/**
 * A listener's default certificate is what clients without SNI (and hostnames matching no other
 * certificate) are served. A different certificate must cover the same names.
 */
export default defineRule({
  id: "aws.listener.certificate-changed",
  family: "aws",
  title: "Listener certificate changed or removed",
  description:
    "The default certificate of an HTTPS/TLS listener (`certificate_arn`, CloudFormation `Certificates`, " +
    "Classic `ssl_certificate_id`) points at another certificate: hostnames missing from its subject " +
    "alternative names get a certificate error, and one that is not issued yet fails the deploy. Removing " +
    "it from a TLS listener makes the deploy fail. References are compared by what they point at " +
    "(an ACM certificate and its validation resource count as the same).",
  severity: "medium",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const findings: Detection[] = [];
    for (const [before, after] of keptPairsOf(file, listenersOf)) {
      if (after.rule) continue;
      const protocol = stringOf(after.protocol)?.toUpperCase();
      if (!protocol || !TLS_PROTOCOLS.has(protocol)) continue;
      const was = certificateOf(before);
      const now = certificateOf(after);
      if (was === UNKNOWN || now === UNKNOWN || was === undefined || was === now) continue;
      const setting = after.certificate;
      findings.push({
        severity: "medium",
        line: setting.line,
        path: setting.path ?? after.path,
        message:
          now === undefined
            ? `${after.label} loses its certificate (${was}) while it still serves ${protocol}: the deploy will fail.`
            : `${after.label} serves another certificate (${was} → ${now}): hostnames missing from its subject alternative names get a certificate error.`,
        before: was,
        after: now ?? null,
        checklist:
          now === undefined
            ? [`Give ${after.label} a certificate, or change its protocol deliberately.`]
            : [
                `Confirm ${now} is issued and its subject alternative names cover every hostname clients use for ${after.label}.`,
              ],
      });
    }
    return findings;
  },
});

const UNKNOWN = Symbol("unknown");

/** What the certificate setting points at; undefined when there is none. */
function certificateOf(listener: Listener): string | undefined | typeof UNKNOWN {
  const setting = listener.certificate;
  if (setting.kind === "default") return undefined;
  if (setting.kind === "literal") return String(setting.value);
  // `aws_acm_certificate_validation.x.certificate_arn` is the certificate `aws_acm_certificate.x`.
  return (
    setting.reference?.replace(/^aws_acm_certificate_validation\./, "aws_acm_certificate.") ??
    UNKNOWN
  );
}
