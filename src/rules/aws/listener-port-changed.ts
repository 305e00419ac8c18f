import { defineRule, type Detection } from "../types.js";
import { type Listener, listenersOf } from "../model/aws/listeners.js";
import { loadBalancersOf } from "../model/aws/load-balancers.js";
import { settingChanges } from "../model/iac/setting-changes.js";
import { stringOf } from "../model/iac/settings.js";
import { keptPairs } from "../model/pairs.js";
import { safe } from "../model/advice.js";

/** Clients connect to a port; moving or dropping the listener there breaks them (docs/lb-facts.md §2). */
export default defineRule({
  id: "aws.listener.port-changed",
  family: "aws",
  title: "Listener port changed or no longer served",
  description:
    "A listener moves to another port, or a Classic load balancer stops listening on a port it served: clients " +
    "that connect to the old port fail (high). Medium when another listener of the same load balancer still " +
    "serves the old port (clients reach a listener with different rules).",
  severity: "high",
  params: {},
  dialects: ["terraform", "cloudformation"],
  check(file) {
    const findings: Detection[] = [];
    const beforeListeners = listenersOf(file.dialect, file.before);
    const afterListeners = listenersOf(file.dialect, file.after);
    const portsServed = (owner: string | undefined, except: Listener): Set<string> =>
      new Set(
        afterListeners
          .filter((l) => !l.rule && l !== except && owner !== undefined && l.owner === owner)
          .flatMap((l) => {
            const port = stringOf(l.port);
            return port === undefined ? [] : [port];
          }),
      );
    for (const { after, was, now, line, path } of settingChanges(
      keptPairs(beforeListeners, afterListeners),
      (listener) => listener.port,
      String,
    )) {
      if (after.rule || after.classic) continue;
      const stillServed = portsServed(after.owner, after).has(was);
      findings.push({
        severity: stillServed ? "medium" : "high",
        line,
        path,
        message: stillServed
          ? `${after.label} moves from port ${was} to ${now}: port ${was} is still served by another listener, with its own rules.`
          : `${after.label} moves from port ${was} to ${now}: clients connecting to port ${was} fail.${safe(`keep port = ${was}, and add a listener on ${now} beside it until clients have moved`)}`,
        before: was,
        after: now,
        checklist: [
          `Confirm every client, DNS SRV record and security group uses port ${now} for ${after.label}.`,
        ],
      });
    }
    // Classic listeners are identified by their port: a port that disappears is no longer served.
    const keptClassic = new Map(
      loadBalancersOf(file.dialect, file.after)
        .filter((lb) => lb.classic)
        .map((lb) => [lb.key, lb]),
    );
    const afterKeys = new Set(afterListeners.map((l) => l.key));
    const unknownPorts = new Set(
      [...beforeListeners, ...afterListeners]
        .filter((l) => l.classic && stringOf(l.port) === undefined)
        .map((l) => l.owner),
    );
    for (const before of beforeListeners) {
      if (!before.classic || !before.owner || unknownPorts.has(before.owner)) continue;
      const lb = keptClassic.get(before.owner);
      if (!lb || afterKeys.has(before.key)) continue;
      const port = stringOf(before.port);
      if (port === undefined) continue;
      findings.push({
        severity: "high",
        line: lb.line,
        path: before.path,
        message: `${before.label} is no longer served: clients connecting to port ${port} fail.${safe(`keep the listener on port ${port} until no client uses it`)}`,
        before: Number(port),
        after: null,
        checklist: [`Confirm no client still connects to port ${port}.`],
      });
    }
    return findings;
  },
});
