import { defineRule } from "../types.js";
import { keptPairsOf } from "../model/aws/elb-resources.js";
import { listenersOf } from "../model/aws/listeners.js";
import { settingChanges, upperCase } from "../model/iac/setting-changes.js";
import { valuesOf } from "../model/iac/settings.js";
import { transitionFindings } from "../model/transitions.js";
import { safe } from "../model/advice.js";

/** Encrypted → plain protocol on the same listener (ALB HTTPS → HTTP, NLB TLS → TCP, Classic SSL → TCP). */
const DOWNGRADES: Record<string, string> = { HTTPS: "HTTP", TLS: "TCP", SSL: "TCP" };
const UPGRADES: Record<string, string> = { HTTP: "HTTPS", TCP: "TLS" };

export default defineRule({
  id: "aws.listener.protocol-downgraded",
  family: "aws",
  title: "Listener stops terminating TLS",
  description:
    "A listener's protocol goes from HTTPS to HTTP, TLS to TCP, or (Classic) SSL to TCP: traffic on that port " +
    "is no longer encrypted by the load balancer, and clients that connect with TLS fail the handshake (high). " +
    "The opposite change is low: plain-text clients on that port stop working.",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const changes = settingChanges(
      keptPairsOf(file, listenersOf),
      (listener) => listener.protocol,
      upperCase,
    );
    return transitionFindings(changes, ({ after, was, now }) => {
      if (after.rule) return undefined;
      const downgrade = DOWNGRADES[was] === now;
      const upgrade = UPGRADES[was] === now || (was === "TCP" && now === "SSL");
      if (!downgrade && !upgrade) return undefined;
      const port = valuesOf(after.port, after.port)?.[1];
      const where = port !== undefined ? ` on port ${port}` : "";
      return {
        severity: downgrade ? "high" : "low",
        message: downgrade
          ? `${after.label} changes from ${was} to ${now}${where}: traffic is no longer encrypted, and clients that connect with TLS fail the handshake.${safe(`keep protocol = "${was}"${where}, and add a separate ${now} listener if plain text is needed`)}`
          : `${after.label} changes from ${was} to ${now}${where}: clients that connect in plain text fail.`,
        before: was,
        after: now,
        checklist: downgrade
          ? [
              `Confirm ${after.label} carries nothing sensitive, and that clients${where} are switched to plain ${now}.`,
            ]
          : [`Confirm every client of ${after.label}${where} connects with TLS.`],
      };
    });
  },
});
