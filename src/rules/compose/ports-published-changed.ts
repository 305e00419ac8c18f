import {
  composeServices,
  publishedPorts,
  servicePath,
  showBinding,
  type PublishedPort,
} from "../model/compose.js";
import { defineRule, type Detection } from "../types.js";

/** The host ports of a file that are published to a fixed port, by address, port and protocol. */
function bindings(ports: readonly PublishedPort[]): Map<string, PublishedPort> {
  const found = new Map<string, PublishedPort>();
  for (const port of ports)
    if (port.published !== undefined && !found.has(bindingKey(port)))
      found.set(bindingKey(port), port);
  return found;
}

const bindingKey = (port: PublishedPort): string =>
  `${port.hostIp ?? "*"}|${port.published}|${port.protocol}`;

/** The same port on every interface serves what a port bound to one address did. */
const widened = (port: PublishedPort): string => `*|${port.published}|${port.protocol}`;

/** Clients reach a Compose service through the host ports it publishes: moving or dropping one strands them. */
export default defineRule({
  id: "compose.ports.published-changed",
  family: "compose",
  title: "Published host port moved or removed",
  description:
    "A host port a docker-compose service publishes (`ports:`, short or long syntax) is no longer published, moves " +
    "to another host port, or now forwards to another container port (high): clients of the host port reach nothing, " +
    "or reach a port the container may not serve. `${VAR:-default}` reads as its default; a port set by a variable " +
    "without one is not judged. A port kept but bound to one address (e.g. 127.0.0.1), and a port newly published " +
    "on every interface (no host address), are " +
    "medium: only other networks lose it, or it is reachable from any network the host is on.",
  severity: "high",
  params: {},
  dialects: ["compose"],
  check(file) {
    const findings: Detection[] = [];
    // A Compose file deleted whole takes its project with it: not a port of a running project moved.
    if (file.after === null) return findings;
    const beforeServices = composeServices(file.before);
    const afterServices = composeServices(file.after);
    const beforePorts = [...beforeServices.values()].flatMap(publishedPorts);
    const afterPorts = [...afterServices.values()].flatMap(publishedPorts);
    const was = bindings(beforePorts);
    const now = bindings(afterPorts);
    const movedTo = new Set<string>();
    for (const [id, old] of was) {
      // A port set by a variable without a default is not known here: nothing to compare.
      if (old.templated) continue;
      const kept = now.get(id) ?? now.get(widened(old));
      const service = afterServices.get(old.service) ?? beforeServices.get(old.service)!;
      if (kept) {
        if (kept.target === old.target || kept.templated) continue;
        findings.push({
          severity: "high",
          line: kept.line,
          path: servicePath(afterServices.get(kept.service) ?? service, "ports"),
          message: `Host port ${showBinding(old)} now forwards to container port ${kept.target} of ${kept.service}, was ${old.target} of ${old.service}: if the container does not serve ${kept.target}, every connection to it fails. Safe: keep "${old.published}:${old.target}" unless the image now listens on ${kept.target}.`,
          before: old.target,
          after: kept.target,
          checklist: [`Confirm ${kept.service} listens on ${kept.target} before this is deployed.`],
        });
        continue;
      }
      // The same host port now bound to one address: it still answers there (on the host, for a loopback address);
      // only clients on other networks lose it, the hardening it usually is.
      const narrowed =
        old.hostIp === undefined
          ? afterPorts.find(
              (port) =>
                port.service === old.service &&
                port.published === old.published &&
                port.target === old.target &&
                port.protocol === old.protocol &&
                port.hostIp !== undefined &&
                !port.templated,
            )
          : undefined;
      if (narrowed) {
        movedTo.add(bindingKey(narrowed));
        findings.push({
          severity: "medium",
          line: narrowed.line,
          path: servicePath(service, "ports"),
          message: `host port ${old.published} of Service ${old.service} is now published on ${narrowed.hostIp} only, was every interface: clients on other networks can no longer reach it.`,
          before: showBinding(old),
          after: showBinding(narrowed),
          checklist: [
            `Confirm nothing outside ${narrowed.hostIp} still connects to host port ${old.published}.`,
          ],
        });
        continue;
      }
      const moved = afterPorts.find(
        (port) =>
          port.service === old.service &&
          port.target === old.target &&
          port.protocol === old.protocol &&
          port.published !== undefined &&
          !port.templated &&
          !was.has(bindingKey(port)),
      );
      const unknown = afterPorts.some(
        (port) => port.service === old.service && port.templated && port.protocol === old.protocol,
      );
      if (!moved && unknown) continue;
      if (moved) movedTo.add(bindingKey(moved));
      findings.push({
        severity: "high",
        line: moved?.line ?? old.line,
        path: servicePath(service, "ports"),
        message: moved
          ? `Service ${old.service} publishes container port ${old.target} on host port ${showBinding(moved)} instead of ${showBinding(old)}: clients and proxies that still call ${showBinding(old)} reach nothing. Safe: keep "${old.published}:${old.target}", or publish both until every client moved.`
          : `Host port ${showBinding(old)} (${old.service}, container port ${old.target}) is no longer published${afterServices.has(old.service) ? "" : ` (service ${old.service} removed)`}: clients and proxies that call it reach nothing. Safe: keep "${old.published}:${old.target}" until no client uses it.`,
        before: showBinding(old),
        after: moved ? showBinding(moved) : null,
        checklist: [`Confirm nothing still connects to host port ${showBinding(old)}.`],
      });
    }
    for (const [id, port] of now) {
      if (was.has(id) || movedTo.has(id) || port.hostIp !== undefined || port.templated) continue;
      // Bound to one address before, on every interface now: reachable wider, as for a new one.
      findings.push({
        severity: "medium",
        line: port.line,
        path: servicePath(afterServices.get(port.service)!, "ports"),
        message: `Service ${port.service} newly publishes container port ${port.target} on host port ${showBinding(port)} on every interface: it is reachable from any network the host is on, unless a firewall says otherwise.`,
        before: null,
        after: showBinding(port),
        checklist: [
          `Confirm port ${port.published} should be reachable from outside the host, or bind it to one address ("127.0.0.1:${port.published}:${port.target}").`,
        ],
      });
    }
    return findings;
  },
});
